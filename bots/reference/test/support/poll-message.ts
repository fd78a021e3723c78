// Reading the reference bot's poll messages (MessageML) in tests: the form's vote buttons, the results table.

/** The vote buttons of a poll form, in order: each one's `name` (the action a click submits) and label. */
export const pollButtons = (message: string | undefined): { name: string; label: string }[] =>
  [...(message ?? '').matchAll(/<button name="([^"]+)"[^>]*>([^<]*)<\/button>/g)].map((m) => ({
    name: m[1] ?? '',
    label: m[2] ?? '',
  }));

/** The rows of a poll's results table: `[option, votes]`, in the table's order. */
export const pollResultRows = (message: string | undefined): [string | undefined, number][] =>
  [...(message ?? '').matchAll(/<tr><td>([^<]*)<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [
    m[1],
    Number(m[2]),
  ]);

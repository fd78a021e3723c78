/** `path` as one POSIX shell word, quoted only when it has to be (for the printed `cd` step). */
export function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

import type { z } from 'zod';

const MAX_ISSUES = 5;

function pathOf(prefix: readonly PropertyKey[], path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of [...prefix, ...path]) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * One readable line for a failed validation, e.g. `payload.messageSent.message.stream.streamId: expected string,
 * received number`. At most five issues are listed.
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): string {
  const shown = issues
    .slice(0, MAX_ISSUES)
    .map((issue) => `${pathOf(prefix, issue.path)}: ${issue.message.replace(/^Invalid input: /, '')}`);
  const more = issues.length > MAX_ISSUES ? `; and ${issues.length - MAX_ISSUES} more` : '';
  return shown.join('; ') + more;
}

import { ScaffoldError } from './scaffold-error.ts';

// Any npm range or spec (`^1.2.0`, `>=1 <2`, `1.x`, `next`, `file:../x.tgz`), but nothing that could break the
// JSON it is written into or look like a template placeholder.
const RANGE = /^[^\s"\\{}\p{Cc}](?:[^"\\{}\p{Cc}]*[^\s"\\{}\p{Cc}])?$/u;

/** Checks the `--baton-version` value. */
export function assertValidVersionRange(range: string): void {
  if (range.length <= 200 && RANGE.test(range)) return;
  throw new ScaffoldError(
    'INVALID_VERSION',
    `invalid --baton-version ${JSON.stringify(range)}: expected a version range such as ^0.1.0`,
  );
}

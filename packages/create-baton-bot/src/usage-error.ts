/**
 * The command line itself is wrong (unknown flag, missing or extra folder): the CLI exits 2. Shaped like
 * `BatonError` (`code`, `name`; docs/errors.md): this package has no dependencies, so it cannot extend it.
 */
export class UsageError extends Error {
  readonly code = 'USAGE';
  override readonly name = 'UsageError';
}

/** The command line itself is wrong (unknown flag, missing or extra folder): the CLI exits 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  override readonly name = 'UsageError';
}

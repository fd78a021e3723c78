/** Why a project could not be scaffolded (all of them are bad input: the CLI exits 2). */
export type ScaffoldErrorCode =
  | 'INVALID_NAME'
  | 'INVALID_VERSION'
  | 'NOT_A_DIRECTORY'
  | 'DIR_NOT_EMPTY'
  | 'TARBALLS_NOT_FOUND'
  | 'BAD_TARBALL'
  | 'DUPLICATE_TARBALL'
  | 'MISSING_TARBALL';

/**
 * Bad input to `scaffold`, found before anything is written. The message is one line, for a terminal. Shaped
 * like `BatonError` (`code`, `name`; docs/errors.md): this package has no dependencies, so it cannot extend it.
 */
export class ScaffoldError extends Error {
  readonly code: ScaffoldErrorCode;

  constructor(code: ScaffoldErrorCode, message: string) {
    super(message);
    this.name = 'ScaffoldError';
    this.code = code;
  }
}

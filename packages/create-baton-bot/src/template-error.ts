/**
 * A template uses a placeholder `scaffold` does not know: a bug in this package, not bad input. Shaped like
 * `BatonError` (`code`, `name`; docs/errors.md): this package has no dependencies, so it cannot extend it.
 */
export class TemplateError extends Error {
  readonly code = 'UNKNOWN_PLACEHOLDER';
  override readonly name = 'TemplateError';
}

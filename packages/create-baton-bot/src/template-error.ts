/** A template uses a placeholder `scaffold` does not know: a bug in this package, not bad input. */
export class TemplateError extends Error {
  readonly code = 'UNKNOWN_PLACEHOLDER';
  override readonly name = 'TemplateError';
}

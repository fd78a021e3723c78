/** Why markup was refused. */
export type InvalidMarkupReason = 'declaration' | 'too-deep';

/**
 * PresentationML Baton refuses to read: a DOCTYPE or other `<!…>` declaration (which could define entities), or
 * elements nested deeper than any real message (the parser's cost grows with the square of the depth).
 */
export class InvalidMarkupError extends Error {
  readonly code = 'INVALID_MARKUP' as const;
  readonly reason: InvalidMarkupReason;

  constructor(reason: InvalidMarkupReason, message: string) {
    super(message);
    this.name = 'InvalidMarkupError';
    this.reason = reason;
  }
}

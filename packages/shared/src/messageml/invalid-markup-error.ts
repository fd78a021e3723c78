import { BatonError } from '../errors/baton-error.ts';

/** Why markup was refused. */
export type InvalidMarkupReason = 'declaration' | 'too-deep';

/**
 * PresentationML Baton refuses to read: a DOCTYPE or other `<!…>` declaration (which could define entities), or
 * elements nested deeper than any real message (the parser's cost grows with the square of the depth).
 */
export class InvalidMarkupError extends BatonError {
  readonly reason: InvalidMarkupReason;

  constructor(reason: InvalidMarkupReason, message: string) {
    super('INVALID_MARKUP', message);
    this.reason = reason;
  }
}

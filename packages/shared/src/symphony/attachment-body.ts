import { AttachmentTooLargeError, SymphonyError } from './errors.ts';

/**
 * The longest base64 text that can decode to `maxBytes` bytes: 4 characters per 3 bytes, plus room for line
 * breaks (MIME-style encoders wrap every 76 characters) and a little slack. The download's read bound.
 */
export function base64LengthFor(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4 + Math.ceil(maxBytes / 57) * 2 + 64;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * The agent's attachment body (`application/octet-stream` holding the file as base64 text) → the file's bytes.
 * Whitespace is ignored and both alphabets are accepted; anything else is a `SymphonyError`. More than
 * `maxBytes` decoded is `AttachmentTooLargeError`.
 */
export function decodeAttachmentBody(
  body: unknown,
  maxBytes: number,
  ctx: { path: string; traceId?: string },
): Buffer {
  let text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('latin1') : undefined;
  if (text === undefined) {
    throw new SymphonyError(`Attachment body of ${ctx.path} is not base64 text`, ctx);
  }
  text = text.replace(/\s+/g, '');
  // A transport that parsed the body as JSON would hand over a JSON string literal's quotes intact: drop them.
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new SymphonyError(`Attachment body of ${ctx.path} is not base64`, ctx);
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length > maxBytes) {
    throw new AttachmentTooLargeError(
      `Attachment is ${bytes.length} bytes, more than the ${maxBytes} allowed`,
      {
        ...ctx,
        maxBytes,
      },
    );
  }
  return bytes;
}

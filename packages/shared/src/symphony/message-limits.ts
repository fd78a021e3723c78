import { MessageTooLargeError } from './errors.ts';

/**
 * Symphony's limit on one message: "The size of a message cannot exceed 1.5Mb, including both the messageML
 * (message property) and the entityJSON (data property)" (developer docs, "Message Size Limits"), counted here
 * as UTF-8 bytes of both, 1.5 × 1024 × 1024. The pod simulator refuses past the same count.
 */
export const MAX_MESSAGE_BYTES = 1.5 * 1024 * 1024;

/** The size Symphony's limit counts: the `message` part and the `data` part (serialised as sent), in bytes. */
export function messageBytes(message: string, data?: Record<string, unknown> | string): number {
  const dataText = data === undefined ? '' : typeof data === 'string' ? data : JSON.stringify(data);
  return Buffer.byteLength(message, 'utf8') + Buffer.byteLength(dataText, 'utf8');
}

/**
 * Throws `MessageTooLargeError` (nothing sent) when `message` + `data` exceed `MAX_MESSAGE_BYTES`. The client's
 * `sendMessage`/`updateMessage` call it before the call, and `ctx.reply` before the reply is marked started.
 */
export function checkMessageSize(message: string, data?: Record<string, unknown> | string): void {
  const sizeBytes = messageBytes(message, data);
  if (sizeBytes > MAX_MESSAGE_BYTES) {
    throw new MessageTooLargeError(
      `The message is ${sizeBytes} bytes (MessageML + data), more than the ${MAX_MESSAGE_BYTES} Symphony accepts`,
      { limitBytes: MAX_MESSAGE_BYTES, sizeBytes },
    );
  }
}

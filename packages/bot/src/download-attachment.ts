import { AttachmentTooLargeError } from '@baton/shared/symphony-types';
import type { AttachmentToDownload } from './context.ts';
import type { RuntimeServices } from './runtime-contract.ts';

/** `ctx.download`'s bound when the bot sets none (`createBot({ maxDownloadBytes })`): 10 MiB. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Fetches an attachment's bytes through the runtime's client, at most `maxBytes`: an attachment whose declared
 * size is larger is refused before the call, and the client cuts off a body that turns out larger (both
 * `AttachmentTooLargeError`, code `SYMPHONY_ATTACHMENT_TOO_LARGE`).
 */
export async function downloadAttachment(
  services: RuntimeServices,
  attachment: AttachmentToDownload,
  maxBytes: number,
): Promise<Buffer> {
  if (attachment.size !== undefined && attachment.size > maxBytes) {
    throw new AttachmentTooLargeError(
      `Attachment ${attachment.name ?? attachment.id} is ${attachment.size} bytes, more than the ${maxBytes} allowed`,
      { maxBytes },
    );
  }
  return services.client.downloadAttachment(
    { streamId: attachment.streamId, messageId: attachment.messageId, attachmentId: attachment.id },
    { maxBytes },
  );
}

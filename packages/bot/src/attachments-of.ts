import type { BatonEvent } from '@baton/shared/events';
import type { IncomingAttachment } from './context.ts';

/**
 * The files of the message a MESSAGESENT carries (`ctx.attachments`); none for other events. Each entry names
 * its message and stream, so `ctx.download` needs nothing else.
 */
export function attachmentsOf(event: BatonEvent | undefined): IncomingAttachment[] {
  if (event?.type !== 'MESSAGESENT') return [];
  const { messageId, stream, attachments } = event.payload.messageSent.message;
  return (attachments ?? []).map((a) => ({
    id: a.id,
    name: a.name,
    size: a.size,
    messageId,
    streamId: stream.streamId,
  }));
}

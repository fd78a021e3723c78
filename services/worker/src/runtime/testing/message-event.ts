let counter = 0;

/** A raw MESSAGESENT V4Event with plain `text` in stream `streamId` (for runtime tests). */
export function messageEvent(streamId: string, text: string, opts: { userId?: number; id?: string } = {}) {
  counter += 1;
  const messageId = `msg${process.pid}x${counter}x${Date.now().toString(36)}`;
  const user = { userId: opts.userId ?? 7, displayName: 'Test User', username: 'test.user' };
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    id: opts.id ?? `ev${counter}`,
    messageId,
    timestamp: Date.now(),
    type: 'MESSAGESENT',
    initiator: { user },
    payload: {
      messageSent: {
        message: {
          messageId,
          timestamp: Date.now(),
          message: `<div data-format="PresentationML" data-version="2.0"><p>${escaped}</p></div>`,
          data: '{}',
          user,
          stream: { streamId, streamType: 'ROOM' },
        },
      },
    },
  };
}

/** The plain text of a MESSAGESENT event (tags stripped, entities unescaped, trimmed), else undefined. */
export function textOf(event: { type: string; payload: unknown }): string | undefined {
  if (event.type !== 'MESSAGESENT') return undefined;
  const html = (event.payload as { messageSent: { message: { message: string } } }).messageSent.message
    .message;
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

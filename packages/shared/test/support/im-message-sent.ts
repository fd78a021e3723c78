/** The IM of the documented sample events (docs/event-model.md). */
export const SAMPLE_IM = 'IEj12WoWsfTkiqOBkATdUn___pFXhN9OdA';
/** The sender of the documented sample events. */
export const SAMPLE_USER = { userId: 344147139494862, username: 'reedUAT' };

/**
 * A fixed raw MESSAGESENT in `SAMPLE_IM` from `SAMPLE_USER` saying `<p>hi</p>`, as the event-rule tests break it:
 * `message` overrides fields of the message, `envelope` fields of the event.
 */
export function imMessageSent(message: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) {
  return {
    id: '9rc1dr',
    messageId: 'Fd4Pc8xO5Vg6hVfzabFe2X___oyM1eXobQ',
    timestamp: 1595365005847,
    type: 'MESSAGESENT',
    initiator: { user: SAMPLE_USER },
    payload: {
      messageSent: {
        message: {
          messageId: 'Fd4Pc8xO5Vg6hVfzabFe2X___oyM1eXobQ',
          timestamp: 1595365005847,
          message: '<div data-format="PresentationML" data-version="2.0"><p>hi</p></div>',
          data: '{}',
          user: SAMPLE_USER,
          stream: { streamId: SAMPLE_IM, streamType: 'IM' },
          ...message,
        },
      },
    },
    ...envelope,
  };
}

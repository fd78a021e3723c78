import type { RawMessageSentOptions } from '@baton/shared/events';

/** The IM of the documented sample events (docs/event-model.md). */
export const SAMPLE_IM = 'IEj12WoWsfTkiqOBkATdUn___pFXhN9OdA';

/**
 * `rawMessageSent` options for the documented sample: a MESSAGESENT in `SAMPLE_IM` from `reedUAT` saying
 * `<p>hi</p>`, with fixed ids, as the event-rule tests break it (`message`, `envelope`).
 */
export const SAMPLE_IM_EVENT = {
  id: '9rc1dr',
  messageId: 'Fd4Pc8xO5Vg6hVfzabFe2X___oyM1eXobQ',
  timestamp: 1595365005847,
  streamId: SAMPLE_IM,
  streamType: 'IM',
  from: { userId: 344147139494862, username: 'reedUAT' },
  text: 'hi',
} as const satisfies RawMessageSentOptions;

import { rawMessageSent } from '@baton/shared/events';
import { testStreamId } from '@baton/testing';

/** A valid MESSAGESENT event of stream `label` (`testStreamId`) from `userId`, numbered `n` (ids and timestamps follow from it). */
export function messageSent(label: string, n: number, userId = 2): Record<string, unknown> {
  const streamId = testStreamId(label);
  return rawMessageSent({
    streamId,
    streamType: 'IM',
    id: `ev${n}`,
    messageId: `msg${streamId}${n}`,
    timestamp: 1_700_000_000_000 + n,
    text: `m-0-${n}`,
    from: { userId, displayName: `u${userId}`, username: `u${userId}` },
  });
}

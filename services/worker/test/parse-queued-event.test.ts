import type { QueuedEvent } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { testStreamId } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { parseQueuedEvent } from '../src/runtime/parse-queued-event.ts';

const entry = (event: unknown): QueuedEvent => ({
  v: 1,
  key: 'k1',
  streamId: testStreamId('S1'),
  seq: 1,
  receivedAt: 1,
  event,
});

describe('parseQueuedEvent: the worker validates every event it pops', () => {
  it('returns the typed event of a valid entry', () => {
    const parsed = parseQueuedEvent(entry(rawMessageSent({ streamId: testStreamId('S1'), text: 'hello' })));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.event.type).toBe('MESSAGESENT');
  });

  it('rejects what a hand-written or stale entry may hold, with the reason and the raw event', () => {
    const wrongType = rawMessageSent({ streamId: testStreamId('S1'), text: 'hello' }) as {
      payload: { messageSent: { message: object } };
    };
    const tampered = {
      ...wrongType,
      payload: {
        messageSent: { message: { ...wrongType.payload.messageSent.message, stream: { streamId: 42 } } },
      },
    };
    for (const raw of [tampered, { type: 'BOGUS', id: 'x', payload: {} }, 'not an event', null]) {
      const parsed = parseQueuedEvent(entry(raw));
      expect(parsed.ok, JSON.stringify(raw)).toBe(false);
      if (parsed.ok) continue;
      expect(parsed.reason).not.toBe('');
      expect(parsed.raw).toBe(raw);
    }
  });
});

import { createFeedState } from '@baton/ingester';
import { ingestKeys } from '@baton/shared';
import { uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { describe, expect } from 'vitest';
import { createIngesterStateReader } from '../src/status/read-ingester-state.ts';

// A leader that dies between reading a batch and storing it leaves its `inHand` record; the next leader turns
// it into `awaitingRedelivery` at its session start, and the dashboard shows "waiting for a redelivery".

describe('waiting for a redelivery', () => {
  redisTest(
    'is recorded before a batch is stored, cleared by its store, and handed to the next leader',
    async ({ redis }) => {
      const prefix = uniquePrefix('inhand');
      const keys = ingestKeys(prefix);
      const state = createFeedState(redis, prefix);
      const reader = createIngesterStateReader(redis, { prefix });
      const a = 'ingester-1#aaa';
      const b = 'ingester-2#bbb';
      await redis.set(keys.leader, `${a}|1`);
      // a batch read and stored: nothing left behind
      const t1 = Date.now();
      expect(await state.recordInHand(`${a}|1`, { at: t1, events: 4 })).toBe(true);
      expect(await state.saveRead(`${a}|1`, { at: t1, events: 4, ackId: 'ack-1' })).toBe(true);
      expect(await redis.hget(keys.feed, 'inHand')).toBe('');
      // the next batch read, then the leader dies
      const t2 = Date.now();
      expect(await state.recordInHand(`${a}|1`, { at: t2, events: 7 })).toBe(true);
      expect((await reader.read()).awaitingRedelivery).toBeNull();
      // a deposed holder cannot take it; the new leader does, once
      await redis.set(keys.leader, `${b}|2`);
      expect(await state.takeInHand(`${a}|1`)).toEqual({ leader: false });
      expect(await state.recordInHand(`${a}|1`, { at: t2, events: 1 })).toBe(false);
      expect(await state.takeInHand(`${b}|2`)).toEqual({
        leader: true,
        left: { at: t2, events: 7, by: `${a}|1` },
      });
      expect(await state.takeInHand(`${b}|2`)).toEqual({ leader: true });
      const status = await reader.read();
      expect(status.awaitingRedelivery).toEqual({ readAt: t2, events: 7, readBy: 'ingester-1' });
      // two minutes after the read it is no longer shown
      const later = createIngesterStateReader(redis, { prefix, clock: () => t2 + 121_000 });
      expect((await later.read()).awaitingRedelivery).toBeNull();
    },
  );
});

import { ClientError } from '@baton/shared';
import { describe, expect } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { simTest } from './support/sim-test.ts';

// GET /agent/v4/stream/{sid}/message pages as the agent's spec says (agent-api-public.yaml): messages from
// `since` (to `until`), oldest first, `skip` skipped, at most `limit` (default 50, max 500); a caller reads
// every message exactly once by passing the last timestamp seen as `since` and the number of messages with
// that timestamp already seen as `skip`.

simTest.override('botOptions', { username: 'list-bot' });

/** A new room of the bot and alice with `n` messages from alice. */
function busyRoom(sim: Simulator, bot: number, alice: number, n: number): string {
  const room = sim.control.createStream({
    type: 'ROOM',
    name: `busy ${n}`,
    memberIds: [bot, alice],
  }).streamId;
  for (let i = 0; i < n; i++) sim.control.sendMessage(room, { fromUserId: alice, text: `m${i}` });
  return room;
}

describe('agent v4 message list paging', () => {
  simTest(
    'is oldest first, 500 at most, and since/skip paging reads every message exactly once',
    async ({ sim, botClient: { botId, client }, alice }) => {
      const room = busyRoom(sim, botId, alice, 1_234);
      const stored = sim.control.listMessages(room);
      // Many messages share a millisecond: the paging below needs skip to get past them.
      expect(new Set(stored.map((m) => m.timestamp)).size).toBeLessThan(stored.length);
      const since0 = stored[0]!.timestamp;
      const first = await client.listMessages(room, { since: since0, limit: 500 });
      expect(first.map((m) => m.messageId)).toEqual(stored.slice(0, 500).map((m) => m.messageId));
      expect(await client.listMessages(room, { since: since0 })).toHaveLength(50);

      const seen: string[] = [];
      let since = since0;
      let skip = 0;
      for (let calls = 0; calls < 10; calls++) {
        const page = await client.listMessages(room, { since, skip, limit: 500 });
        seen.push(...page.map((m) => m.messageId));
        if (page.length < 500) break;
        const last = page.at(-1)!.timestamp;
        const atLast = page.filter((m) => m.timestamp === last).length;
        skip = last === since ? skip + atLast : atLast;
        since = last;
      }
      expect(seen).toEqual(stored.map((m) => m.messageId));
    },
  );

  simTest(
    'until is inclusive; a skip past the end is empty; bad skip/limit are 400',
    async ({ sim, botClient: { botId, client }, alice }) => {
      const room = busyRoom(sim, botId, alice, 30);
      const stored = sim.control.listMessages(room);
      const mid = stored[14]!.timestamp;
      const upTo = await client.listMessages(room, { since: 0, until: mid, limit: 500 });
      expect(upTo.map((m) => m.messageId)).toEqual(
        stored.filter((m) => m.timestamp <= mid).map((m) => m.messageId),
      );
      expect(await client.listMessages(room, { since: 0, skip: 30, limit: 500 })).toEqual([]);
      await expect(client.listMessages(room, { since: 0, skip: -1 })).rejects.toBeInstanceOf(ClientError);
      await expect(client.listMessages(room, { since: 0, limit: 501 })).rejects.toBeInstanceOf(ClientError);
    },
  );
});

import type { Simulator } from '@baton/pod-simulator';
import { type ClosableSymphonyClient, createLogger, type SymphonyClient, workerKeys } from '@baton/shared';
import { uniquePrefix } from '@baton/shared/testing';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  BATON_SOURCE_TYPE,
  carriesSource,
  createIdempotentReplies,
  type RecoveryScan,
  type ReplyOutcome,
} from '../src/runtime/idempotent-replies.ts';
import { simClientTest } from './support/sim-client-test.ts';

// The post-crash recovery read of a busy room, against the pod simulator over HTTP with the real Symphony
// client: a sender posts its reply and dies before its "done" mark, in a stream holding more than 1,000
// messages in the recovery window. The message list is oldest first, 500 at most per call, so one read of the
// window does not see the reply; the recovery must page.

let redis: Redis;
let sim: Simulator;
let client: ClosableSymphonyClient;
let bot: number;
let alice: number;
const silent = createLogger({ level: 'silent' });

simClientTest.override('simClientOptions', { botUsername: 'paging-bot', logger: silent });

simClientTest.beforeAll(async ({ redis: fileRedis, simClient }) => {
  redis = fileRedis;
  ({ sim, client } = simClient);
  bot = simClient.bot.userId;
  alice = sim.control.createUser({ username: 'alice' }).userId;
});

/** The real client, except that its first post reaches the pod and then fails (the sender dies right after). */
function dyingAfterFirstPost(real: SymphonyClient): SymphonyClient {
  let died = false;
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'sendMessage') return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<SymphonyClient['sendMessage']>) => {
        const out = await target.sendMessage(...args);
        if (died) return out;
        died = true;
        throw new Error('socket hang up (the sender died right after its post reached the pod)');
      };
    },
  });
}

function chatter(streamId: string, n: number, tag: string): void {
  for (let i = 0; i < n; i++) sim.control.sendMessage(streamId, { fromUserId: alice, text: `${tag} ${i}` });
}

type Keys = ReturnType<typeof workerKeys>;

function setup(real: SymphonyClient, extra: { keys?: Keys; maxPages?: number; logLines?: string[] } = {}) {
  const keys = extra.keys ?? workerKeys(uniquePrefix('paging'));
  const outcomes: ReplyOutcome[] = [];
  const scans: RecoveryScan[] = [];
  const logger = createLogger({
    level: 'warn',
    destination: { write: (line: string) => void extra.logLines?.push(line) },
  });
  const replies = createIdempotentReplies({
    redis,
    client: real,
    markKey: keys.reply,
    ttlSec: 600,
    onReply: (o) => outcomes.push(o),
    onRecoveryScan: (s) => scans.push(s),
    logger,
    ...(extra.maxPages !== undefined ? { maxPages: extra.maxPages } : {}),
  });
  return { keys, replies, outcomes, scans };
}

/** The bot's messages in the stream that carry reply 0 of `eventKey` (simulator view). */
function copiesOf(streamId: string, eventKey: string): number {
  return sim.control
    .listMessages(streamId)
    .filter((m) => m.sender.userId === bot && carriesSource(m.data, eventKey, 0)).length;
}

const reply = { message: '<messageML>the answer</messageML>' };

describe('reply recovery in a stream with more than 1,000 messages in the window', () => {
  it('pages through the window and finds the reply a dead sender posted: posted once', async () => {
    const room = sim.control.createStream({ type: 'ROOM', name: 'busy 1', memberIds: [bot, alice] }).streamId;
    const since = Date.now() - 1;
    chatter(room, 1_100, 'before');
    const dying = setup(dyingAfterFirstPost(client));
    await expect(dying.replies.forEvent('ev-busy').send(room, reply)).rejects.toThrow(/socket hang up/);
    chatter(room, 300, 'after');
    expect(copiesOf(room, 'ev-busy')).toBe(1);
    // The scenario is the one of the issue: one read of the window (500 oldest) does not see the reply.
    const firstPage = await client.listMessages(room, { since: since - 5 * 60_000, limit: 500 });
    expect(firstPage).toHaveLength(500);
    expect(firstPage.some((m) => carriesSource(m.data, 'ev-busy', 0))).toBe(false);

    const retry = setup(client, { keys: dying.keys });
    const found = await retry.replies.forEvent('ev-busy').send(room, reply);
    expect(found?.messageId).toBeDefined();
    expect(copiesOf(room, 'ev-busy')).toBe(1);
    expect(retry.outcomes).toEqual(['recovered']);
    expect(retry.scans).toEqual([{ outcome: 'found', pages: 3, messages: 1_401 }]);
    expect(await redis.get(dying.keys.reply('ev-busy', 0))).toContain('"state":"done"');
  });

  it('reads the older part of the window too (a worker clock ahead of the pod): found, not doubled', async () => {
    const room = sim.control.createStream({ type: 'ROOM', name: 'busy 2', memberIds: [bot, alice] }).streamId;
    chatter(room, 1_100, 'before');
    // What a dead sender left: its reply in the stream, its "started" mark stamped by a clock 2 min ahead.
    const { keys, replies, outcomes, scans } = setup(client);
    const posted = await client.sendMessage(room, {
      message: reply.message,
      data: { batonSource: { type: BATON_SOURCE_TYPE, version: '1.0', eventKey: 'ev-skew', replyIndex: 0 } },
    });
    await redis.set(
      keys.reply('ev-skew', 0),
      JSON.stringify({ state: 'started', at: posted.timestamp + 120_000 }),
    );
    chatter(room, 200, 'after');
    const found = await replies.forEvent('ev-skew').send(room, reply);
    expect(found?.messageId).toBe(posted.messageId);
    expect(copiesOf(room, 'ev-skew')).toBe(1);
    expect(outcomes).toEqual(['recovered']);
    // one (empty) page of the near part, then the older part from its start: the reply is the 1,101st
    expect(scans).toEqual([{ outcome: 'found', pages: 4, messages: 1_301 }]);
  });

  it('posts when the whole window was read and the reply is not there (the post never reached the pod)', async () => {
    const room = sim.control.createStream({ type: 'ROOM', name: 'busy 3', memberIds: [bot, alice] }).streamId;
    chatter(room, 1_200, 'noise');
    const { keys, replies, outcomes, scans } = setup(client);
    await redis.set(keys.reply('ev-lost', 0), JSON.stringify({ state: 'started', at: Date.now() }));
    await replies.forEvent('ev-lost').send(room, reply);
    expect(copiesOf(room, 'ev-lost')).toBe(1);
    expect(outcomes).toEqual(['posted']);
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ outcome: 'absent', messages: 1_200 });
  });

  it('at the page bound it posts (the safe side: never lose a reply), logs a warning and reports it', async () => {
    const room = sim.control.createStream({ type: 'ROOM', name: 'busy 4', memberIds: [bot, alice] }).streamId;
    chatter(room, 1_100, 'before');
    const dying = setup(dyingAfterFirstPost(client));
    await expect(dying.replies.forEvent('ev-bound').send(room, reply)).rejects.toThrow(/socket hang up/);
    const logLines: string[] = [];
    const bounded = setup(client, { keys: dying.keys, maxPages: 2, logLines });
    await bounded.replies.forEvent('ev-bound').send(room, reply);
    expect(bounded.scans).toEqual([{ outcome: 'truncated', pages: 2, messages: 1_000 }]);
    expect(bounded.outcomes).toEqual(['posted']);
    expect(copiesOf(room, 'ev-bound')).toBe(2);
    expect(logLines.join('\n')).toMatch(/hit its page bound/);
  });
});

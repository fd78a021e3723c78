import type { Simulator } from '@baton/pod-simulator';
import { type ClosableSymphonyClient, createLogger, type SymphonyClient, workerKeys } from '@baton/shared';
import { uniquePrefix } from '@baton/shared/testing';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createIdempotentReplies, type ReplyOutcome } from '../src/runtime/idempotent-replies.ts';
import { simClientTest } from './support/sim-client-test.ts';

// A reply with files through the worker's idempotent sender, on the real client and the simulator's agent: the
// files are posted with the reply, and a post whose answer was lost is found again by the retry, files and all,
// instead of being posted twice.
let redis: Redis;
let sim: Simulator;
let client: ClosableSymphonyClient;
let roomId: string;
const logger = createLogger({ level: 'silent' });

simClientTest.override('simClientOptions', { botUsername: 'files-bot', logger, sim: { longPollMs: 300 } });

simClientTest.beforeAll(async ({ redis: fileRedis, simClient }) => {
  redis = fileRedis;
  ({ sim, client } = simClient);
  const alice = sim.control.createUser({ username: 'alice' }).userId;
  roomId = sim.control.createStream({
    type: 'ROOM',
    name: 'Files',
    memberIds: [simClient.bot.userId, alice],
  }).streamId;
});

/** The client, except that the next `n` posts go through and then fail (the answer lost on the way back). */
function losingAnswers(n: number): SymphonyClient {
  let left = n;
  return {
    ...client,
    async sendMessage(streamId, msg, opts) {
      const out = await client.sendMessage(streamId, msg, opts);
      if (left-- > 0) throw new Error('socket hang up (the post went through)');
      return out;
    },
  };
}

function repliesWith(c: SymphonyClient) {
  const outcomes: ReplyOutcome[] = [];
  const replies = createIdempotentReplies({
    redis,
    client: c,
    markKey: workerKeys(uniquePrefix('reply-files')).reply,
    ttlSec: 600,
    onReply: (o) => outcomes.push(o),
  });
  return { replies, outcomes };
}

const file = (name: string, text: string) => ({ filename: name, content: Buffer.from(text) });
const botFiles = () =>
  sim.control.listMessages(roomId).filter((m) => m.sender.bot && (m.attachments?.length ?? 0) > 0);

describe('replies with files, exactly once', () => {
  it('posts the files with the reply', async () => {
    const { replies } = repliesWith(client);
    const out = await replies
      .forEvent('ev-files-1')
      .send(roomId, { message: '<messageML>report</messageML>', attachments: [file('wc.txt', '1 2 3\n')] });
    const stored = sim.control.listMessages(roomId).find((m) => m.messageId === out?.messageId);
    const [info] = stored?.attachments ?? [];
    expect(info?.name).toBe('wc.txt');
    expect(sim.control.attachmentContent(out!.messageId, info!.id)?.toString()).toBe('1 2 3\n');
  });

  it('a retry after a lost answer finds the posted reply (files included) and posts nothing more', async () => {
    const before = botFiles().length;
    const { replies, outcomes } = repliesWith(losingAnswers(1));
    const msg = { message: '<messageML>retried</messageML>', attachments: [file('data.csv', 'a,b\n1,2\n')] };
    await expect(replies.forEvent('ev-files-2').send(roomId, msg)).rejects.toThrow(/hang up/);
    const recovered = await replies.forEvent('ev-files-2').send(roomId, msg);
    expect(outcomes).toEqual(['recovered']);
    expect(await replies.forEvent('ev-files-2').send(roomId, msg)).toBeUndefined();
    const posted = botFiles().slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.messageId).toBe(recovered?.messageId);
    const [info] = posted[0]!.attachments!;
    expect(sim.control.attachmentContent(posted[0]!.messageId, info!.id)?.toString()).toBe('a,b\n1,2\n');
  });
});

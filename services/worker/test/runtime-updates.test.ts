import { MessageUpdateRefusedError, workerKeys } from '@baton/shared';
import { createFakeSymphonyClient, uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import type { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { createIdempotentUpdates } from '../src/runtime/idempotent-updates.ts';

// `ctx.updateMessage` in the worker: one update per opId, however often the event is retried.

async function setup(redis: Redis) {
  const keys = workerKeys(uniquePrefix('updates'));
  const client = createFakeSymphonyClient();
  const updates = createIdempotentUpdates({
    redis,
    client,
    markKey: (opId) => keys.reply(opId, 'update'),
    ttlSec: 600,
  });
  const original = await client.sendMessage('S1', { message: '<messageML>poll</messageML>' });
  return { client, updates, original };
}

const msg = (text: string) => ({ message: `<messageML>${text}</messageML>` });
const versionsOf = (client: ReturnType<typeof createFakeSymphonyClient>) =>
  client.sent.filter((m) => m.replacing !== undefined);

describe('idempotent message updates', () => {
  redisTest('updates once per opId; a retry gets the same new version back', async ({ redis }) => {
    const { client, updates, original } = await setup(redis);
    const first = await updates.update('S1', original.messageId, msg('closed'), 'u1');
    expect(first.messageId).not.toBe(original.messageId);
    const retry = await updates.update('S1', original.messageId, msg('closed'), 'u1');
    expect(retry.messageId).toBe(first.messageId);
    expect(retry.replacing).toBe(original.messageId);
    expect(versionsOf(client)).toHaveLength(1);
    // The update carries its source (the opId) in the EntityJSON, like a reply.
    expect(versionsOf(client)[0]?.parsedData).toEqual({
      batonSource: { type: 'org.baton.source', version: '1.0', eventKey: 'u1', replyIndex: 'update' },
    });
  });

  redisTest(
    'a crash between the update and its "done" mark does not update twice (found by reading the stream)',
    async ({ redis }) => {
      const { client, updates, original } = await setup(redis);
      client.failAfterPost(1);
      await expect(updates.update('S1', original.messageId, msg('closed'), 'u2')).rejects.toThrow(
        /simulated crash/,
      );
      // The retry: the old version is replaced by now (the pod would refuse it); the recovery read finds the update.
      const retry = await updates.update('S1', original.messageId, msg('closed'), 'u2');
      expect(versionsOf(client)).toHaveLength(1);
      expect(retry.messageId).toBe(versionsOf(client)[0]?.messageId);
      const third = await updates.update('S1', original.messageId, msg('closed'), 'u2');
      expect(third.messageId).toBe(retry.messageId);
    },
  );

  redisTest(
    'a different opId is a different update: a stale version is refused with a coded error',
    async ({ redis }) => {
      const { client, updates, original } = await setup(redis);
      const v2 = await updates.update('S1', original.messageId, msg('v2'), 'u3');
      await expect(updates.update('S1', original.messageId, msg('v3'), 'u4')).rejects.toBeInstanceOf(
        MessageUpdateRefusedError,
      );
      const v3 = await updates.update('S1', v2.messageId, msg('v3'), 'u5');
      expect(v3.replacing).toBe(v2.messageId);
      expect(versionsOf(client).map((m) => m.message)).toEqual([
        '<messageML>v2</messageML>',
        '<messageML>v3</messageML>',
      ]);
    },
  );
});

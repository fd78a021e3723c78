import { setTimeout as sleep } from 'node:timers/promises';
import { ClientError, createMailbox, ingestKeys, ServerError } from '@baton/shared';
import { createFakeSymphonyClient, type FakeSymphonyClient } from '@baton/shared/testing';
import { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import type { Ingester } from '../src/create-ingester.ts';
import { messageSent } from './support/message-sent.ts';
import { scriptedIngesterTest } from './support/scripted-ingester-test.ts';

type FakeClient = FakeSymphonyClient;

/** A scripted ingester, started and leading. */
async function start(
  scriptedIngester: (fake: FakeClient, extra?: Record<string, string>) => Ingester,
  fake: FakeClient,
  extra: Record<string, string> = {},
) {
  const ingester = scriptedIngester(fake, extra);
  await ingester.start();
  await expect.poll(() => ingester.health().role, { timeout: 5_000 }).toBe('leader');
  return ingester;
}

const get = async (ingester: Ingester, path: string) => {
  const res = await fetch(`http://127.0.0.1:${ingester.opsPort()}${path}`);
  return { status: res.status, body: await res.text() };
};

describe('read loop with a scripted client', () => {
  scriptedIngesterTest(
    'serves /healthz, /readyz and /metrics, and the watchdog turns unready when reads stop completing',
    async ({ scriptedIngester }) => {
      const fake = createFakeSymphonyClient();
      fake.events([messageSent('S1', 0), messageSent('S1', 1)]);
      fake.hang(); // from now on no read completes
      const ingester = await start(scriptedIngester, fake);
      await expect.poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 5_000 }).toBe(2);
      expect((await get(ingester, '/healthz')).status).toBe(200);
      expect((await get(ingester, '/readyz')).status).toBe(200);
      const metrics = (await get(ingester, '/metrics')).body;
      for (const name of [
        'baton_ingester_reads_total',
        'baton_ingester_events_total{type="MESSAGESENT"',
        'baton_ingester_batch_size',
        'baton_ingester_enqueue_seconds',
        'baton_ingester_read_seconds',
        'baton_ingester_leader{',
        'baton_ingester_last_read_age_seconds',
        'baton_backlog_pending_events{',
        'baton_backlog_oldest_age_seconds',
      ]) {
        expect(metrics).toContain(name);
      }
      // 2 x READ_TIMEOUT_MS (400) without a completed read.
      await expect.poll(async () => (await get(ingester, '/readyz')).status, { timeout: 5_000 }).toBe(503);
      expect((await get(ingester, '/healthz')).status).toBe(200);
      expect(await ingester.feedState.load()).toMatchObject({
        version: 'v2',
        feedId: 'fake_f',
        ackId: 'ack1',
      });
    },
  );

  scriptedIngesterTest(
    'never leaves the loop: 5xx and even 403 are retried, and reading resumes',
    async ({ scriptedIngester }) => {
      const fake = createFakeSymphonyClient();
      fake.fail(new ServerError('boom', { status: 503 }));
      fake.fail(new ClientError('forbidden', { status: 403 }));
      fake.fail(new Error('something unexpected'));
      fake.events([messageSent('S', 0)]);
      const ingester = await start(scriptedIngester, fake);
      await expect.poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 10_000 }).toBe(1);
      const text = await ingester.metrics.registry.metrics();
      expect(text).toMatch(/baton_ingester_errors_total\{class="ServerError".*\} 1/);
      expect(text).toMatch(/baton_ingester_errors_total\{class="ClientError".*\} 1/);
      expect(text).toMatch(/baton_ingester_errors_total\{class="Error".*\} 1/);
    },
  );

  scriptedIngesterTest(
    'steps down without storing the ackId when a newer leader has fenced the mailboxes',
    async ({ redis, prefix, scriptedIngester }) => {
      const fake = createFakeSymphonyClient();
      fake.events([messageSent('S', 0)]);
      const ingester = await start(scriptedIngester, fake);
      await expect.poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 5_000 }).toBe(1);
      await expect.poll(async () => (await ingester.feedState.load()).ackId, { timeout: 5_000 }).toBe('ack1');

      // A newer leader appears behind this replica's back (as after a long pause): higher token, fences raised.
      const keys = ingestKeys(prefix);
      await redis.set(keys.leaderToken, '100');
      await redis.set(keys.leader, 'other#x|100', 'PX', 60_000);
      await createMailbox(redis, { prefix }).fence('100');
      fake.events([messageSent('S', 1)]);
      await expect.poll(() => ingester.health().role, { timeout: 5_000 }).toBe('standby');
      expect((await ingester.mailbox.backlog()).pending).toBe(1); // the fenced batch was refused
      expect((await ingester.feedState.load()).ackId).toBe('ack1'); // and its ackId not stored

      // The other leader goes away: this replica takes over with a token above it and the batch is read again.
      await redis.del(keys.leader);
      fake.events([messageSent('S', 1)]);
      await expect.poll(() => ingester.health().role, { timeout: 5_000 }).toBe('leader');
      expect(Number(ingester.health().leaderToken)).toBeGreaterThan(100);
      await expect.poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 5_000 }).toBe(2);
    },
  );

  scriptedIngesterTest(
    'on stop, finishes the batch in hand and stores its ackId, even while Redis is slow',
    async ({ redis, redisServer, prefix, scriptedIngester }) => {
      const fake = createFakeSymphonyClient();
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      fake.gated([messageSent('A', 0), messageSent('A', 1), messageSent('B', 0)], gate);
      const ingester = await start(scriptedIngester, fake);
      await expect.poll(() => fake.readSignals.length, { timeout: 5_000 }).toBe(1);
      // Writes stall for 800 ms right as the batch arrives; the stop request comes in the middle of it.
      const admin = new Redis(redisServer.url);
      admin.on('error', () => {});
      await admin.call('CLIENT', 'PAUSE', '800', 'WRITE');
      release();
      await sleep(100);
      await ingester.stop();
      admin.disconnect();
      expect((await ingester.mailbox.backlog()).pending).toBe(3);
      expect((await ingester.feedState.load()).ackId).toBe('ack1');
      expect(await redis.get(ingestKeys(prefix).leader)).toBeNull();
    },
  );

  scriptedIngesterTest(
    'stops within its grace period: aborts the long poll and releases the lease',
    async ({ redis, prefix, scriptedIngester }) => {
      const fake = createFakeSymphonyClient();
      const ingester = await start(scriptedIngester, fake);
      await expect.poll(() => fake.readSignals.length, { timeout: 5_000 }).toBeGreaterThan(0);
      await ingester.stop();
      expect(fake.readSignals.at(-1)?.aborted).toBe(true);
      expect(await redis.get(ingestKeys(prefix).leader)).toBeNull();
      expect(ingester.health().role).toBe('stopped');
    },
  );
});

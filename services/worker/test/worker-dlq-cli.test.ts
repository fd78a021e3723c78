import { bullmqPrefix, createMailbox, hasLiveDrain, type Mailbox, queueNames } from '@baton/shared';
import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { rawMessageSent, runNode } from '@baton/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDlqCommand } from '../src/cli/run-dlq-command.ts';
import { createDeadLetters, type DeadLetters } from '../src/runtime/dead-letters.ts';

let server: TestRedis;
let redis: Redis;
let prefix: string;
let mailbox: Mailbox;
let drainQueue: Queue;
let dlq: DeadLetters;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  prefix = uniquePrefix('dlq');
  mailbox = createMailbox(redis, { prefix });
  drainQueue = new Queue(queueNames(prefix).drain, { connection: redis, prefix: bullmqPrefix(prefix) });
  dlq = createDeadLetters({ connection: redis, prefix, mailbox, drainQueue, dedupTtlSec: 600 });
});

afterAll(async () => {
  await dlq?.close();
  await drainQueue?.close();
  await redis?.quit();
  await server?.close();
});

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDlqCommand(argv, {
    deadLetters: dlq,
    out: (s) => out.push(s),
    err: (s) => err.push(s),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('dead letters and `pnpm dlq`', () => {
  it('adds idempotently (one entry per event key), lists, shows', async () => {
    const event = rawMessageSent({ streamId: 'S1', text: 'boom' });
    const entry = {
      stage: 'handle' as const,
      reason: 'handler failed after 3 attempts',
      streamId: 'S1',
      key: 'key-1',
      raw: event,
      error: { name: 'Error', message: 'boom' },
      attempts: 3,
    };
    const id = await dlq.add(entry);
    expect(await dlq.add(entry)).toBe(id);
    await dlq.add({
      stage: 'ingest',
      reason: 'invalid event: type',
      streamId: 'S2',
      key: 'key-2',
      raw: { type: 'X' },
    });
    expect(await dlq.count()).toBe(2);
    const list = await cli(['list']);
    expect(list.code).toBe(0);
    expect(list.out).toContain(id);
    expect(list.out).toMatch(/2 shown, 2 in the dead-letter queue/);
    const show = await cli(['show', id]);
    expect(JSON.parse(show.out)).toMatchObject({
      id,
      stage: 'handle',
      streamId: 'S1',
      key: 'key-1',
      attempts: 3,
      raw: event,
    });
    expect((await cli(['show', 'dl-nope'])).code).toBe(1);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('replay puts a handle-stage event at the tail of its mailbox and schedules a drain; ingest-stage is refused', async () => {
    await mailbox.enqueue(
      [{ key: 'earlier', streamId: 'S1', event: rawMessageSent({ streamId: 'S1', text: 'earlier' }) }],
      {
        dedupTtlSec: 600,
      },
    );
    const [handleEntry] = (await dlq.list()).filter((e) => e.data.stage === 'handle');
    const [ingestEntry] = (await dlq.list()).filter((e) => e.data.stage === 'ingest');
    const refused = await cli(['replay', ingestEntry!.id]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/cannot be replayed/);
    const res = await cli(['replay', handleEntry!.id]);
    expect(res.code).toBe(0);
    expect(await mailbox.length('S1')).toBe(2);
    const head = await mailbox.peek('S1');
    expect(head?.key).toBe('earlier');
    expect(await hasLiveDrain(drainQueue, 'S1')).toBe(true);
    expect(await dlq.show(handleEntry!.id)).toBeUndefined();
    // the replayed entry is the tail, with the original event and a new key
    const tail = await redis.lindex(mailboxListKey('S1'), -1);
    expect(JSON.parse(tail!)).toMatchObject({ key: `key-1#replay-${handleEntry!.id}`, streamId: 'S1' });
  });

  it('replay --all skips ingest-stage entries; drop removes them', async () => {
    await dlq.add({
      stage: 'handle',
      reason: 'r',
      streamId: 'S3',
      key: 'key-3',
      raw: rawMessageSent({ streamId: 'S3', text: 'x' }),
    });
    const all = await cli(['replay', '--all']);
    expect(all.out).toMatch(/replayed 1, skipped 1/);
    const [ingestEntry] = await dlq.list();
    expect((await cli(['drop', ingestEntry!.id])).code).toBe(0);
    expect(await dlq.count()).toBe(0);
    await dlq.add({ stage: 'ingest', reason: 'r', raw: 'junk' });
    expect((await cli(['drop', '--all'])).out).toBe('dropped 1');
    expect(await dlq.count()).toBe(0);
  });

  it('the `pnpm dlq` entry point works as a process', async () => {
    const id = await dlq.add({ stage: 'ingest', reason: 'from the process test', raw: 'junk-2' });
    const run = await runNode(
      {
        name: 'pnpm dlq list',
        entry: 'services/worker/src/cli/dlq.ts',
        args: ['list'],
        inheritEnv: true,
        env: { REDIS_URL: server.url, BATON_PREFIX: prefix, LOG_LEVEL: 'silent' },
      },
      30_000,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(id);
    expect(run.stdout).toContain('from the process test');
  });
});

function mailboxListKey(streamId: string): string {
  return mailbox.keysFor(streamId).find((k) => k.includes(':q:'))!;
}

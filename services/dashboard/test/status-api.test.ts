import { createFeedState, createLeaderLease, type LeaderLease } from '@baton/ingester';
import { createMailbox, type DeadLetter, queueNames, scheduleDrain } from '@baton/shared';
import { openTestQueue, uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { waitFor } from '@baton/testing';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { DashboardStatus } from '../src/index.ts';
import { silentLogger, startDashboard, type TestDashboard } from './support/start-dashboard.ts';
import { writeHeartbeat } from './support/write-heartbeat.ts';

const T0 = 1_800_000_000_000;
let now = T0;
const clock = () => now;

let redis: Redis;
let dlq: Queue;
let drain: Queue;
let dashboard: TestDashboard;
let lease: LeaderLease;
const prefix = uniquePrefix('dash');

async function status(): Promise<DashboardStatus> {
  const res = await fetch(`${dashboard.url}/api/status`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as DashboardStatus;
}

const heartbeat = (id: string, handled: number, beatAt: number, ttlMs?: number) =>
  writeHeartbeat(
    redis,
    prefix,
    { id, startedAt: T0 - 600_000, beatAt, stats: { handled, active: 2 } },
    ttlMs,
  );

redisTest.beforeAll(async ({ redis: fileRedis }) => {
  redis = fileRedis;
  const mailbox = createMailbox(redis, { prefix, now: clock });
  const ev = (streamId: string, i: number, receivedAt: number) => ({
    key: `${streamId}-e${i}`,
    streamId,
    event: { id: `${streamId}-${i}`, type: 'MESSAGESENT' },
    receivedAt,
  });
  // Known backlog: sA 3 events (oldest 30 s), sB 5 events (oldest 10 s), sC 1 event (5 s); one duplicate key.
  const added = await mailbox.enqueue(
    [
      ...[0, 1, 2].map((i) => ev('sA', i, T0 - 30_000 + i)),
      ...[0, 1, 2, 3, 4].map((i) => ev('sB', i, T0 - 10_000 + i)),
      ev('sC', 0, T0 - 5_000),
      ev('sC', 0, T0 - 5_000),
    ],
    { dedupTtlSec: 600 },
  );
  expect(added).toMatchObject({ added: 9, duplicates: 1 });

  drain = openTestQueue(redis, prefix, 'drain');
  dlq = openTestQueue(redis, prefix, 'dlq');
  for (const s of ['sA', 'sB', 'sC']) await scheduleDrain(drain, s);
  for (let i = 0; i < 4; i++) {
    const letter: DeadLetter = {
      v: 1,
      stage: 'handle',
      reason: `boom ${i}`,
      streamId: 'sX',
      raw: { i },
      failedAt: T0,
    };
    await dlq.add('dead', letter);
  }
  // The ingester's own lease and feed store write its state (real code, real keys).
  lease = createLeaderLease(
    { prefix, instanceId: 'ingester-a', leaseMs: 60_000 },
    { redis, logger: silentLogger },
  );
  lease.start();
  await waitFor('the lease', () => lease.isLeader(), 10_000);
  const feedState = createFeedState(redis, prefix);
  expect(await feedState.saveFeed(lease.holder()!, 'v2', 'feed-123')).toBe(true);
  expect(await feedState.saveAck(lease.holder()!, 'ack-7')).toBe(true);
  await feedState.recordRecreation({
    at: T0 - 50_000,
    version: 'v2',
    oldFeedId: 'feed-122',
    newFeedId: 'feed-123',
    reason: 'feed gone',
    note: 'events between the last ack and the recreation may be missed',
  });

  await heartbeat('w1', 100, T0 - 1_000);
  await heartbeat('w2', 50, T0 - 1_000);
  await heartbeat('gone', 1, T0 - 90_000, 1); // expires at once: not a live worker

  dashboard = await startDashboard(redis, { BATON_PREFIX: prefix }, { clock, status: { workerRescanMs: 0 } });
});

afterAll(async () => {
  await lease?.stop();
  await dashboard?.stop();
  await dlq?.close();
  await drain?.close();
});

describe('/api/status', () => {
  it('reports exactly the known backlog, streams, DLQ and drain jobs', async () => {
    const s = await status();
    expect(s.errors).toEqual({});
    expect(s.prefix).toBe(prefix);
    expect(s.generatedAt).toBe(T0);
    expect(s.backlog).toEqual({ pending: 9, streams: 3, oldestAgeMs: 30_000 });
    // Largest backlog first (sB is not the oldest stream: ranking by age would put sA first).
    expect(s.topStreams).toEqual([
      { streamId: 'sB', pending: 5, oldestAgeMs: 10_000 },
      { streamId: 'sA', pending: 3, oldestAgeMs: 30_000 },
      { streamId: 'sC', pending: 1, oldestAgeMs: 5_000 },
    ]);
    expect(s.dlq?.size).toBe(4);
    expect(s.dlq?.counts['waiting']).toBe(4);
    expect(s.queues?.drain['waiting']).toBe(3);
    expect(s.queues?.scheduled['waiting']).toBe(0);
  });

  it('ranks the top streams by pending events among the oldest waiting ones (topN, topCandidates)', async () => {
    const ranked = async (status: { topN: number; topCandidates?: number }) => {
      const d = await startDashboard(redis, { BATON_PREFIX: prefix }, { clock, status });
      try {
        const res = await fetch(`${d.url}/api/status`);
        return ((await res.json()) as DashboardStatus).topStreams?.map((t) => t.streamId);
      } finally {
        await d.stop();
      }
    };
    expect(await ranked({ topN: 1 })).toEqual(['sB']);
    expect(await ranked({ topN: 2 })).toEqual(['sB', 'sA']);
    // Only the oldest waiting stream is a candidate: sA, though sB holds more.
    expect(await ranked({ topN: 1, topCandidates: 1 })).toEqual(['sA']);
  });

  it("reports the ingester's leader, feed and feed recreations from the ingester's keys", async () => {
    const s = await status();
    const leader = s.ingester?.leader;
    expect(leader?.id.startsWith('ingester-a')).toBe(true);
    expect(leader?.token).toBe(Number(lease.token()));
    expect(`${leader?.id}|${leader?.token}`).toBe(lease.holder());
    expect(s.ingester?.leader?.leaseRemainingMs).toBeGreaterThan(0);
    expect(s.ingester?.leader?.leaseRemainingMs).toBeLessThanOrEqual(60_000);
    expect(s.ingester?.feed).toMatchObject({ id: 'feed-123', version: 'v2' });
    expect(s.ingester?.feed?.lastStoredAt).toEqual(expect.any(Number));
    expect(s.ingester?.recreations).toEqual({
      count: 1,
      last: {
        at: T0 - 50_000,
        reason: 'feed gone',
        note: 'events between the last ack and the recreation may be missed',
      },
    });
  });

  it('lists live workers from their heartbeats and derives handled/s from their counters', async () => {
    const first = await status();
    expect(first.workers?.live).toBe(2);
    expect(first.workers?.list.map((w) => w.id)).toEqual(['w1', 'w2']);
    expect(first.workers?.list[0]).toMatchObject({
      host: 'box-1',
      pid: 4242,
      concurrency: 8,
      beatAt: T0 - 1_000,
      bot: { id: 'desk-bot', fingerprint: 'a1b2c3d4e5f6', commands: 4 },
    });
    expect(first.workers?.list[0]?.stats).toEqual({ handled: 100, active: 2 });
    expect(first.handled).toMatchObject({ total: 150 });

    // 10 s later w1 has handled 200 more events, w2 none: 20 events/s.
    now = T0 + 10_000;
    await heartbeat('w1', 300, T0 + 9_000);
    await heartbeat('w2', 50, T0 + 9_000);
    const second = await status();
    expect(second.handled).toEqual({ perSecond: 20, total: 350, windowMs: 30_000 });
    expect(second.backlog?.oldestAgeMs).toBe(40_000);

    // A worker whose key expired drops out.
    await redis.del(`${prefix}:workers:w2`);
    now = T0 + 12_000;
    const third = await status();
    expect(third.workers?.list.map((w) => w.id)).toEqual(['w1']);
  });

  it('renders the same numbers server-side on the HTML page', async () => {
    now = T0 + 20_000;
    const res = await fetch(`${dashboard.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).toContain('<b id="pending">9</b>');
    expect(html).toContain('<b id="dlq">4</b>');
    expect(html).toContain('<b id="streams">3</b>');
    expect(html).toContain('<td>sB</td><td>5</td>');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/); // no external assets
  });

  it('serves bull-board read-only at /queues with the three Baton queues', async () => {
    const page = await fetch(`${dashboard.url}/queues`);
    expect(page.status).toBe(200);
    const res = await fetch(`${dashboard.url}/queues/api/queues?activeQueue=&status=latest&page=1`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[];
    };
    const names = queueNames(prefix);
    expect(body.queues.map((q) => q.name).sort()).toEqual([names.dlq, names.drain, names.scheduled].sort());
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    expect(body.queues.find((q) => q.name === names.dlq)?.counts['waiting']).toBe(4);
  });
});

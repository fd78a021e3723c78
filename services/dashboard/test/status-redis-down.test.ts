import { createMailbox } from '@baton/shared';
import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardStatus } from '../src/index.ts';
import { startDashboard, type TestDashboard } from './support/start-dashboard.ts';

let server: TestRedis;
let redis: Redis;
let dashboard: TestDashboard;
const prefix = uniquePrefix('dashdown');

async function status(): Promise<DashboardStatus> {
  const res = await fetch(`${dashboard.url}/api/status`);
  expect(res.status).toBe(200);
  return (await res.json()) as DashboardStatus;
}

beforeAll(async () => {
  server = await startTestRedis({ forceSpawn: true, appendOnly: true });
  // Like the services' own clients: commands wait offline for Redis to come back instead of failing.
  redis = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  redis.on('error', () => {});
  await createMailbox(redis, { prefix }).enqueue([{ key: 'k1', streamId: 's1', event: {} }], {
    dedupTtlSec: 600,
  });
  dashboard = await startDashboard(
    redis,
    { BATON_PREFIX: prefix },
    { status: { timeoutMs: 500 }, refreshMs: 200 },
  );
});

afterAll(async () => {
  await dashboard?.stop();
  redis?.disconnect();
  await server?.close();
});

describe('Redis unreachable', () => {
  it('answers with per-section errors instead of hanging, then recovers when Redis is back', async () => {
    expect((await status()).backlog?.pending).toBe(1);

    await server.kill();
    // Status reads are shared for a moment (refreshMs / 2), so the first answer may still be the cached one.
    let down: DashboardStatus | undefined;
    await expect
      .poll(
        async () => {
          down = await status();
          return down.backlog;
        },
        { timeout: 10_000, interval: 150 },
      )
      .toBeNull();
    if (!down) throw new Error('unreachable');
    expect(down.dlq).toBeNull();
    expect(down.workers).toBeNull();
    expect(Object.keys(down.errors).sort()).toEqual(
      ['backlog', 'dlq', 'ingester', 'queues', 'topStreams', 'workers'].sort(),
    );
    expect(down.errors['backlog']).toMatch(/no answer within 500 ms/);
    // The page still renders, showing the errors.
    const page = await fetch(`${dashboard.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('no answer within 500 ms');
    expect((await fetch(`${dashboard.url}/healthz`)).status).toBe(200);

    await server.start();
    await expect
      .poll(async () => (await status()).backlog?.pending, { timeout: 20_000, interval: 250 })
      .toBe(1);
    expect((await status()).errors).toEqual({});
  });
});

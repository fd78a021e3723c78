import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@baton/shared';
import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeaderLease, type LeaderLease } from '../src/leader-lease.ts';

let server: TestRedis;
const clients: Redis[] = [];
const leases: LeaderLease[] = [];
const logger = createLogger({ level: 'silent' });

function connect(): Redis {
  const r = new Redis(server.url, { maxRetriesPerRequest: null });
  r.on('error', () => {});
  clients.push(r);
  return r;
}

beforeAll(async () => {
  server = await startTestRedis();
});

afterAll(async () => {
  for (const l of leases) await l.stop();
  for (const c of clients) c.disconnect();
  await server?.close();
});

function lease(prefix: string, instanceId: string, redis = connect(), leaseMs = 900) {
  const acquired: string[] = [];
  const lost: string[] = [];
  const l = createLeaderLease(
    { prefix, instanceId, leaseMs },
    { redis, logger, onAcquired: (t) => void acquired.push(t), onLost: (t) => void lost.push(t) },
  );
  leases.push(l);
  return { l, acquired, lost, redis };
}

describe('leader lease', () => {
  it('lets exactly one replica lead, and a standby takes over with a higher token when the leader dies', async () => {
    const prefix = uniquePrefix('lease');
    const a = lease(prefix, 'a');
    a.l.start();
    await expect.poll(() => a.l.isLeader(), { timeout: 5_000 }).toBe(true);
    const b = lease(prefix, 'b');
    b.l.start();
    await sleep(1_500); // several renewals and standby polls
    expect(a.l.isLeader()).toBe(true);
    expect(b.l.isLeader()).toBe(false);

    // "Kill" a: its Redis connection goes away, so it can neither renew nor release.
    const diedAt = Date.now();
    a.redis.disconnect();
    await expect.poll(() => b.l.isLeader(), { timeout: 5_000, interval: 20 }).toBe(true);
    const takeoverMs = Date.now() - diedAt;
    expect(takeoverMs).toBeLessThan(4_000); // bound: lease (900 ms) + a polling interval, generous slack
    expect(Number(b.l.token())).toBeGreaterThan(Number(a.acquired[0]));
    // a noticed on its own that it could not renew within its lease.
    await expect.poll(() => a.l.isLeader(), { timeout: 3_000 }).toBe(false);
    expect(a.lost).toHaveLength(1);
  });

  it('releases on stop so a standby takes over at once', async () => {
    const prefix = uniquePrefix('lease');
    const a = lease(prefix, 'a', connect(), 60_000);
    a.l.start();
    await expect.poll(() => a.l.isLeader(), { timeout: 5_000 }).toBe(true);
    const b = lease(prefix, 'b', connect(), 600);
    b.l.start();
    await a.l.stop();
    expect(a.l.isLeader()).toBe(false);
    await expect.poll(() => b.l.isLeader(), { timeout: 2_000 }).toBe(true);
  });

  it('steps down when the lease is taken over behind its back', async () => {
    const prefix = uniquePrefix('lease');
    const a = lease(prefix, 'a');
    a.l.start();
    await expect.poll(() => a.l.isLeader(), { timeout: 5_000 }).toBe(true);
    const admin = connect();
    const key = (await admin.keys(`${prefix}:*:leader`))[0] as string;
    await admin.set(key, 'intruder|999', 'PX', 60_000);
    await expect.poll(() => a.l.isLeader(), { timeout: 3_000 }).toBe(false);
    expect(a.lost).toEqual([a.acquired[0]]);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { createRedis, WORKER_HEARTBEAT_VERSION, type WorkerHeartbeat, workerKeys } from '@baton/shared';
import { startTestRedisCluster, type TestRedisCluster, uniquePrefix } from '@baton/shared/testing';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveWorkersReader } from '../src/status/read-live-workers.ts';

// The dashboard's live-worker count on a real Redis Cluster whose master (holding one worker's heartbeat) is
// SIGKILLed: once a replica is promoted, both workers are counted again within seconds, not after minutes.
const prefix = uniquePrefix('lwc');
const keys = workerKeys(prefix);
let cluster: TestRedisCluster;
let writer: Cluster;
let reader: Cluster;

beforeAll(async () => {
  cluster = await startTestRedisCluster();
  const nodes = cluster.seedNodes.split(',');
  writer = createRedis({ url: 'redis://127.0.0.1:6379', clusterNodes: nodes }) as Cluster;
  reader = createRedis({ url: 'redis://127.0.0.1:6379', clusterNodes: nodes }) as Cluster;
}, 120_000);

afterAll(async () => {
  writer?.disconnect();
  reader?.disconnect();
  await cluster?.close();
});

function beat(id: string): WorkerHeartbeat {
  const now = Date.now();
  return {
    v: WORKER_HEARTBEAT_VERSION,
    id,
    pid: 1,
    host: 'box',
    startedAt: now - 60_000,
    concurrency: 8,
    bot: { id: 'bot', fingerprint: 'a1b2c3d4e5f6', commands: 1 },
    stats: { handled: 0 },
    beatAt: now,
  };
}

describe('live workers on a Redis Cluster through a failover', () => {
  it('counts both workers again within seconds of the promotion', async () => {
    // Two workers whose heartbeat keys live on different masters.
    const ids: string[] = [];
    const masters = new Set<number>();
    for (let i = 0; ids.length < 2 && i < 200; i++) {
      const m = await cluster.masterOf(keys.heartbeat(`w${i}`));
      if (!masters.has(m.port)) {
        masters.add(m.port);
        ids.push(`w${i}`);
      }
    }
    expect(ids).toHaveLength(2);
    const victimKey = keys.heartbeat(ids[0]!);
    // Heartbeats as the worker writes them: every second, a TTL of 3 beats.
    let beating = true;
    const beats = ids.map(async (id) => {
      while (beating) {
        await writer.set(keys.heartbeat(id), JSON.stringify(beat(id)), 'PX', 3_000).catch(() => {});
        await sleep(1_000);
      }
    });
    // The first beats are in flight to two masters when the loops above yield: the dashboard that was running
    // starts once both are written (it scans once, then caches the key list for rescanMs).
    await expect
      .poll(async () => (await Promise.all(ids.map((id) => writer.exists(keys.heartbeat(id))))).join(), {
        timeout: 5_000,
      })
      .toBe('1,1');
    // A dashboard that was running (it knows both keys) and one that starts during the failover (it must scan).
    const running = createLiveWorkersReader(reader, { prefix, rescanMs: 10_000 });
    const readers = { running, started: running };
    /** Both readers' counts, each read bounded as the dashboard bounds its sections (-1: no answer in time). */
    const counts = () =>
      Promise.all(
        Object.values(readers).map((r) =>
          Promise.race([r.read().then((w) => w.length), sleep(2_000).then(() => -1)]).catch(() => -1),
        ),
      );
    try {
      expect(await running.read()).toHaveLength(2);
      const victim = await cluster.masterOf(victimKey);
      await victim.kill();
      const killedAt = Date.now();
      readers.started = createLiveWorkersReader(reader, { prefix, rescanMs: 10_000 });
      let promotedAt: number | undefined;
      const healthy = cluster.waitHealthy(60_000, victimKey).then(() => {
        promotedAt = Date.now();
      });
      const timeline: string[] = [];
      let rightAt: number | undefined;
      while (Date.now() - killedAt < 90_000) {
        const n = await counts();
        const at = Date.now();
        timeline.push(`${at - killedAt}ms${promotedAt ? ' (promoted)' : ''}: ${n.join('/')}`);
        if (promotedAt !== undefined && n.every((c) => c === 2)) {
          rightAt = at;
          break;
        }
        await sleep(500);
      }
      await healthy;
      console.info(`promoted after ${(promotedAt ?? Number.NaN) - killedAt} ms; ${timeline.join(' | ')}`);
      expect(rightAt, timeline.join('\n')).toBeDefined();
      // Within a few seconds of the promotion (a dashboard refresh or two), not at the next rescan or later.
      expect(rightAt! - promotedAt!, timeline.join('\n')).toBeLessThan(5_000);
    } finally {
      beating = false;
      await Promise.all(beats);
    }
  }, 180_000);
});

import { setTimeout as sleep } from 'node:timers/promises';
import { createRedis } from '@baton/shared';
import { startTestRedisCluster, startTestRedisSentinel } from '@baton/shared/testing';
import type { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

/**
 * Commands in flight while the master serving them is SIGKILLed: each loop INCRs its own key (keys spread over
 * the slots) and records how long each command took. With the service client (`createRedis`) no command fails:
 * each waits out the promotion of a replica. Returns the errors and the longest wait.
 */
async function incrThroughFailover(
  client: Redis | Cluster,
  kill: () => Promise<void>,
  recovered: () => Promise<void>,
) {
  const errors: string[] = [];
  let acked = 0;
  let longestMs = 0;
  let stop = false;
  const loop = async (k: number) => {
    while (!stop) {
      const t = Date.now();
      try {
        await client.incr(`failover:{${k}}`);
        acked += 1;
      } catch (err) {
        errors.push((err as Error).message);
      }
      longestMs = Math.max(longestMs, Date.now() - t);
    }
  };
  const loops = Array.from({ length: 24 }, (_, i) => loop(i));
  await sleep(300);
  const killedAt = Date.now();
  await kill();
  await recovered();
  const promotedAfterMs = Date.now() - killedAt;
  const before = acked;
  await sleep(1_000);
  stop = true;
  await Promise.all(loops);
  return { errors, acked, ackedAfterRecovery: acked - before, longestMs, promotedAfterMs };
}

describe('createRedis through a failover (live topologies)', () => {
  it('Redis Cluster (3 masters + 3 replicas): a master SIGKILLed mid-traffic, no command fails', async () => {
    const cluster = await startTestRedisCluster();
    const client = createRedis({ url: 'redis://127.0.0.1:6379', clusterNodes: cluster.seedNodes.split(',') });
    try {
      const victim = await cluster.masterOf('failover:{1}');
      const r = await incrThroughFailover(
        client,
        () => victim.kill(),
        () => cluster.waitHealthy(60_000, 'failover:{1}'),
      );
      console.info(
        `cluster failover: promoted after ${r.promotedAfterMs} ms, longest command ${r.longestMs} ms, ${r.acked} acked`,
      );
      expect(r.errors).toEqual([]);
      expect(r.ackedAfterRecovery).toBeGreaterThan(0);
      // Commands on the killed master's slots waited (the failover is not instant) rather than failing.
      expect(r.longestMs).toBeGreaterThan(cluster.nodeTimeoutMs / 2);
    } finally {
      client.disconnect();
      await cluster.close();
    }
  }, 120_000);

  it('Sentinel (1 master, 2 replicas, 3 sentinels): the master SIGKILLed mid-traffic, no command fails', async () => {
    const topology = await startTestRedisSentinel();
    const client = createRedis({
      url: 'redis://127.0.0.1:6379',
      sentinels: topology.sentinels.split(','),
      sentinelName: topology.name,
    });
    try {
      const master = await topology.currentMaster();
      const r = await incrThroughFailover(
        client,
        () => master.kill(),
        async () => {
          await topology.waitPromotion(master, 60_000);
        },
      );
      console.info(
        `sentinel failover: promoted after ${r.promotedAfterMs} ms, longest command ${r.longestMs} ms, ${r.acked} acked`,
      );
      expect(r.errors).toEqual([]);
      expect(r.ackedAfterRecovery).toBeGreaterThan(0);
      const now = await topology.currentMaster();
      expect(now).not.toBe(master);
    } finally {
      client.disconnect();
      await topology.close();
    }
  }, 120_000);
});

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from '../net/free-port.ts';
import { SpawnedRedis, withRedisProbe } from './spawned-redis.ts';

const run = promisify(execFile);

/** A live Redis Cluster of spawned `redis-server` nodes, owned by one test file. */
export interface TestRedisCluster {
  readonly nodes: readonly SpawnedRedis[];
  /** Seed nodes as `REDIS_CLUSTER_NODES` takes them: `127.0.0.1:P1,127.0.0.1:P2,…`. */
  readonly seedNodes: string;
  /** The node-timeout the cluster runs with (how long before a dead master's replica is promoted). */
  readonly nodeTimeoutMs: number;
  /** The node currently serving `key`'s slot as master. */
  masterOf(key: string): Promise<SpawnedRedis>;
  /** Resolves when every live node reports `cluster_state:ok` and `key`'s slot has a live master. */
  waitHealthy(timeoutMs?: number, key?: string): Promise<void>;
  close(): Promise<void>;
}

export interface TestRedisClusterOptions {
  masters?: number;
  replicasPerMaster?: number;
  /** `cluster-node-timeout` (Redis' default is 15 s; tests use a shorter one so a failover takes seconds). */
  nodeTimeoutMs?: number;
}

async function clusterInfo(port: number): Promise<Record<string, string>> {
  const text = await withRedisProbe(port, async (r) => (await r.call('CLUSTER', 'INFO')) as string);
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((l) => l.includes(':'))
      .map((l) => l.split(':', 2) as [string, string]),
  );
}

/**
 * Starts `masters` × (1 + `replicasPerMaster`) cluster-enabled nodes and joins them with
 * `redis-cli --cluster create` (3 masters + 3 replicas by default), then waits until the cluster is ok.
 */
export async function startTestRedisCluster(
  options: TestRedisClusterOptions = {},
): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 1;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 2_000;
  const root = await mkdtemp(join(tmpdir(), 'baton-redis-cluster-'));
  const nodes: SpawnedRedis[] = [];
  const close = async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    await rm(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const port = await freePort();
      const dir = join(root, String(port));
      await mkdir(dir);
      const node = new SpawnedRedis({
        port,
        dir,
        appendOnly: true,
        ownsDir: false,
        extraArgs: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          String(nodeTimeoutMs),
        ],
      });
      nodes.push(node);
      await node.start();
    }
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ],
      { timeout: 60_000 },
    );
  } catch (err) {
    await close();
    throw err;
  }

  const masterOf = async (key: string): Promise<SpawnedRedis> => {
    for (const n of nodes.filter((x) => x.running)) {
      try {
        const port = await withRedisProbe(n.port, async (r) => {
          const slot = (await r.call('CLUSTER', 'KEYSLOT', key)) as number;
          const shards = (await r.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, string]][];
          const owner = shards.find(([from, to]) => slot >= from && slot <= to);
          return owner?.[2]?.[1];
        });
        const node = nodes.find((x) => x.port === port);
        if (node) return node;
      } catch {
        // try the next node
      }
    }
    throw new Error(`no live node knows the master of ${key}`);
  };

  const waitHealthy = async (timeoutMs = 30_000, key?: string) => {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const live = nodes.filter((n) => n.running);
        const infos = await Promise.all(live.map((n) => clusterInfo(n.port)));
        const ok = infos.every((i) => i.cluster_state === 'ok');
        const master = key ? await masterOf(key) : undefined;
        if (ok && (!master || master.running)) return;
        last = infos.map((i) => i.cluster_state).join(',');
      } catch (err) {
        last = String(err);
      }
      await sleep(100);
    }
    throw new Error(`the cluster did not become healthy within ${timeoutMs} ms (${last})`);
  };

  /** Every replica's link to its master is up (a replica that never synced refuses to fail over). */
  const replicasSynced = async () => {
    for (const n of nodes) {
      const info = await withRedisProbe(n.port, (r) => r.info('replication'));
      if (info.includes('role:slave') && !info.includes('master_link_status:up')) return false;
    }
    return true;
  };
  try {
    await waitHealthy(30_000);
    const deadline = Date.now() + 30_000;
    while (!(await replicasSynced())) {
      if (Date.now() > deadline) throw new Error('the cluster replicas did not sync within 30 s');
      await sleep(100);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return {
    nodes,
    seedNodes: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    nodeTimeoutMs,
    masterOf,
    waitHealthy,
    close,
  };
}

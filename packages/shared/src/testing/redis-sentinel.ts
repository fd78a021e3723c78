import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../net/free-port.ts';
import { SpawnedRedis, withRedisProbe } from './spawned-redis.ts';

/** A live Sentinel topology (a master, its replicas and a quorum of sentinels), owned by one test file. */
export interface TestRedisSentinel {
  readonly name: string;
  /** Data nodes; which one is master changes with a failover (`currentMaster()`). */
  readonly dataNodes: readonly SpawnedRedis[];
  readonly sentinelNodes: readonly SpawnedRedis[];
  /** Sentinels as `REDIS_SENTINELS` takes them: `127.0.0.1:P1,…`. */
  readonly sentinels: string;
  /** The data node the sentinels currently name as master. */
  currentMaster(): Promise<SpawnedRedis>;
  /** Resolves with the new master once the sentinels name a live node other than `old`. */
  waitPromotion(old: SpawnedRedis, timeoutMs?: number): Promise<SpawnedRedis>;
  close(): Promise<void>;
}

export interface TestRedisSentinelOptions {
  replicas?: number;
  sentinels?: number;
  /** `down-after-milliseconds` (Redis' default is 30 s; tests use a shorter one). */
  downAfterMs?: number;
  /** `failover-timeout`. */
  failoverTimeoutMs?: number;
}

const NAME = 'mymaster';

/** Starts a master, `replicas` replicas (AOF on) and `sentinels` sentinels (quorum: a majority) on free ports. */
export async function startTestRedisSentinel(
  options: TestRedisSentinelOptions = {},
): Promise<TestRedisSentinel> {
  const root = await mkdtemp(join(tmpdir(), 'baton-redis-sentinel-'));
  const dataNodes: SpawnedRedis[] = [];
  const sentinelNodes: SpawnedRedis[] = [];
  const close = async () => {
    await Promise.all([...sentinelNodes, ...dataNodes].map((n) => n.kill()));
    await rm(root, { recursive: true, force: true });
  };
  const node = async (extraArgs: string[]) => {
    const port = await freePort();
    const dir = join(root, `data-${port}`);
    await mkdir(dir);
    const n = new SpawnedRedis({ port, dir, appendOnly: true, ownsDir: false, extraArgs });
    dataNodes.push(n);
    await n.start();
    return n;
  };
  try {
    const master = await node([]);
    for (let i = 0; i < (options.replicas ?? 2); i++)
      await node(['--replicaof', '127.0.0.1', String(master.port)]);
    const count = options.sentinels ?? 3;
    const quorum = Math.floor(count / 2) + 1;
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const dir = join(root, `sentinel-${port}`);
      await mkdir(dir);
      const config = join(dir, 'sentinel.conf');
      await writeFile(
        config,
        [
          `sentinel monitor ${NAME} 127.0.0.1 ${master.port} ${quorum}`,
          `sentinel down-after-milliseconds ${NAME} ${options.downAfterMs ?? 1_000}`,
          `sentinel failover-timeout ${NAME} ${options.failoverTimeoutMs ?? 5_000}`,
          `sentinel parallel-syncs ${NAME} 1`,
          '',
        ].join('\n'),
      );
      const s = new SpawnedRedis({ port, dir, ownsDir: false, sentinelConfig: config });
      sentinelNodes.push(s);
      await s.start();
    }
  } catch (err) {
    await close();
    throw err;
  }

  const askMaster = async (): Promise<number | undefined> => {
    for (const s of sentinelNodes.filter((x) => x.running)) {
      try {
        const addr = await withRedisProbe(
          s.port,
          async (r) => (await r.call('SENTINEL', 'get-master-addr-by-name', NAME)) as [string, string] | null,
        );
        if (addr) return Number(addr[1]);
      } catch {
        // the next sentinel
      }
    }
    return undefined;
  };
  const currentMaster = async () => {
    const port = await askMaster();
    const n = dataNodes.find((x) => x.port === port);
    if (!n) throw new Error('no sentinel names a master');
    return n;
  };
  const waitPromotion = async (old: SpawnedRedis, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const port = await askMaster();
      const n = dataNodes.find((x) => x.port === port);
      if (n && n !== old && n.running) return n;
      await sleep(100);
    }
    throw new Error(`no replica was promoted within ${timeoutMs} ms`);
  };
  // Replicas and sentinels need a moment to see each other before a failover can succeed.
  const deadline = Date.now() + 20_000;
  for (;;) {
    let synced = false;
    try {
      const info = await withRedisProbe(dataNodes[0]?.port ?? 0, (probe) => probe.info('replication'));
      synced = (info.match(/state=online/g) ?? []).length === dataNodes.length - 1;
    } catch {
      synced = false;
    }
    if (synced && (await askMaster()) !== undefined) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error('the sentinel topology did not settle within 20 s');
    }
    await sleep(100);
  }
  return {
    name: NAME,
    dataNodes,
    sentinelNodes,
    sentinels: sentinelNodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    currentMaster,
    waitPromotion,
    close,
  };
}

import { resolve } from 'node:path';
import type { DlqConfig, WorkerRuntimeConfig } from '../config.ts';
import { readStackRecord, stackRecordPath } from '../dev/stack-record.ts';

/** Which Redis and prefix the DLQ tool reads, and why. */
export interface DlqTarget {
  /** The runtime configuration to connect with (REDIS_URL and BATON_PREFIX resolved). */
  config: WorkerRuntimeConfig;
  /** The Redis, password-free (a URL, or the Sentinel / Cluster nodes). */
  redis: string;
  prefix: string;
  /** Where the choice came from: `REDIS_URL`, `REDIS_SENTINELS`, `REDIS_CLUSTER_NODES`, `stack record <path>`, `default`. */
  source: string;
}

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_PREFIX = 'baton';

/** A Redis URL without its password (the user name, if any, is kept). */
export function passwordFreeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

function describeRedis(config: WorkerRuntimeConfig): string {
  const nodes = (list: readonly { host: string; port: number }[]) =>
    list.map((n) => `${n.host}:${n.port}`).join(',');
  if (config.REDIS_CLUSTER_NODES?.length) return `redis cluster ${nodes(config.REDIS_CLUSTER_NODES)}`;
  if (config.REDIS_SENTINELS?.length) {
    return `redis sentinel ${config.REDIS_SENTINEL_NAME} via ${nodes(config.REDIS_SENTINELS)}`;
  }
  return passwordFreeUrl(config.REDIS_URL);
}

/**
 * Picks the Redis the DLQ tool reads: REDIS_URL (or Sentinel / Cluster nodes) when set; else the Redis of a
 * `baton dev` stack recorded in BATON_HOME/stack.json (BATON_HOME default `.baton`, relative to INIT_CWD, the
 * folder `pnpm dlq` was run from, else `cwd`); else redis://127.0.0.1:6379. BATON_PREFIX, when set, wins over
 * the record's prefix.
 */
export async function resolveDlqTarget(config: DlqConfig, cwd: string): Promise<DlqTarget> {
  const explicit = config.REDIS_CLUSTER_NODES?.length
    ? 'REDIS_CLUSTER_NODES'
    : config.REDIS_SENTINELS?.length
      ? 'REDIS_SENTINELS'
      : config.REDIS_URL !== undefined
        ? 'REDIS_URL'
        : undefined;
  let url = config.REDIS_URL ?? DEFAULT_REDIS_URL;
  let prefix = config.BATON_PREFIX ?? DEFAULT_PREFIX;
  let source = explicit ?? 'default';
  if (explicit === undefined) {
    const home = resolve(config.INIT_CWD ?? cwd, config.BATON_HOME ?? '.baton');
    const record = await readStackRecord(home);
    if (record) {
      url = record.redisUrl;
      prefix = config.BATON_PREFIX ?? record.prefix;
      source = `stack record ${stackRecordPath(home)}`;
    }
  }
  const { BATON_HOME: _home, INIT_CWD: _cwd, ...runtime } = config;
  const resolved: WorkerRuntimeConfig = { ...runtime, REDIS_URL: url, BATON_PREFIX: prefix };
  return { config: resolved, redis: describeRedis(resolved), prefix, source };
}

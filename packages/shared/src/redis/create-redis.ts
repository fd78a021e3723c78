import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { serializeError } from '../errors/serialize-error.ts';
import { childLogger } from '../logging/child-logger.ts';
import { parseHostPort, type RedisConnectionConfig } from './redis-connection-config.ts';

export interface CreateRedisDeps {
  logger?: Logger;
}

/** Reconnect backoff: 100 ms doubling to 2 s, forever. */
function retryStrategy(times: number): number {
  return Math.min(100 * 2 ** Math.min(times, 5), 2_000);
}

/** Delay between a Cluster command's retries while its slot has no reachable master (failover, CLUSTERDOWN). */
export const CLUSTER_RETRY_DELAY_MS = 200;
/** Redirections (MOVED/ASK) a command may follow on top of its failover retries. */
const CLUSTER_REDIRECTIONS = 16;
/** How long a command waits through a Cluster failover by default (REDIS_FAILOVER_WAIT_MS). */
export const DEFAULT_FAILOVER_WAIT_MS = 30_000;

/**
 * An ioredis client (standalone, Sentinel or Cluster) for long-running services: commands wait out a Redis
 * restart (`maxRetriesPerRequest: null`, offline queue on) and connection errors are logged, never thrown
 * as unhandled 'error' events. The URL (which may hold a password) is never logged.
 */
export function createRedis(config: RedisConnectionConfig, deps: CreateRedisDeps = {}): Redis | Cluster {
  const log = deps.logger ? childLogger(deps.logger, { component: 'redis' }) : undefined;
  const u = new URL(config.url);
  const base: RedisOptions = {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy,
    ...(config.connectionName ? { connectionName: config.connectionName } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;

  let client: Redis | Cluster;
  if (config.clusterNodes && config.clusterNodes.length > 0) {
    // A master's death makes its slots answer "Connection is closed", CLUSTERDOWN, TRYAGAIN or MOVED until a
    // replica is promoted (cluster-node-timeout plus an election: seconds). ioredis retries each of those every
    // retryDelayOn… ms, counting them against maxRedirections (16 by default: a 1.6 s wait, then "Too many Cluster
    // redirections"). Size the budget so a command waits out the failover instead of failing inside it.
    const waitMs = config.failoverWaitMs ?? DEFAULT_FAILOVER_WAIT_MS;
    client = new Cluster(config.clusterNodes.map(parseHostPort), {
      redisOptions: base,
      clusterRetryStrategy: retryStrategy,
      enableOfflineQueue: true,
      retryDelayOnFailover: CLUSTER_RETRY_DELAY_MS,
      retryDelayOnClusterDown: CLUSTER_RETRY_DELAY_MS,
      retryDelayOnTryAgain: CLUSTER_RETRY_DELAY_MS,
      retryDelayOnMoved: 0,
      maxRedirections: Math.ceil(waitMs / CLUSTER_RETRY_DELAY_MS) + CLUSTER_REDIRECTIONS,
      // Refresh the slot map soon after a topology change rather than on the 5 s default timer only.
      slotsRefreshInterval: 1_000,
    });
  } else if (config.sentinels && config.sentinels.length > 0) {
    client = new Redis({
      ...base,
      db,
      sentinels: config.sentinels.map(parseHostPort),
      name: config.sentinelName ?? 'mymaster',
    });
  } else {
    client = new Redis({ ...base, db, host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
  }
  let lastErrorAt = 0;
  client.on('error', (err: Error) => {
    // Throttle: a down Redis emits an error per reconnect attempt.
    const t = Date.now();
    if (t - lastErrorAt < 5_000) return;
    lastErrorAt = t;
    log?.warn({ err: serializeError(err) }, 'redis error');
  });
  return client;
}

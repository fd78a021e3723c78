import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { serializeError } from '../errors/serialize-error.ts';
import { parseHostPort, type RedisConnectionConfig } from './redis-connection-config.ts';

export interface CreateRedisDeps {
  logger?: Logger;
}

/** Reconnect backoff: 100 ms doubling to 2 s, forever. */
function retryStrategy(times: number): number {
  return Math.min(100 * 2 ** Math.min(times, 5), 2_000);
}

/**
 * An ioredis client (standalone, Sentinel or Cluster) for long-running services: commands wait out a Redis
 * restart (`maxRetriesPerRequest: null`, offline queue on) and connection errors are logged, never thrown
 * as unhandled 'error' events. The URL (which may hold a password) is never logged.
 */
export function createRedis(config: RedisConnectionConfig, deps: CreateRedisDeps = {}): Redis | Cluster {
  const log = deps.logger?.child({ component: 'redis' });
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
    client = new Cluster(config.clusterNodes.map(parseHostPort), {
      redisOptions: base,
      clusterRetryStrategy: retryStrategy,
      enableOfflineQueue: true,
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

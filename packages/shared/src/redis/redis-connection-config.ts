/**
 * How to reach Redis. One of: a standalone `url` (`redis://[:password@]host:port[/db]`, `rediss://` for TLS);
 * Sentinel (`sentinels` + `sentinelName`, `url` then only supplies password/db/TLS); Cluster (`clusterNodes`).
 */
export interface RedisConnectionConfig {
  url: string;
  /** Sentinel addresses, `host:port` strings or parsed. */
  sentinels?: (string | HostPort)[];
  /** Sentinel master group name. */
  sentinelName?: string;
  /** Cluster seed nodes, `host:port` strings or parsed; when set, a Cluster client is created. */
  clusterNodes?: (string | HostPort)[];
  /** Connection name shown by CLIENT LIST. */
  connectionName?: string;
  /** Cluster: how long a command keeps retrying while its slot fails over (default 30 s). */
  failoverWaitMs?: number;
}

export interface HostPort {
  host: string;
  port: number;
}

export function parseHostPort(s: string | HostPort): HostPort {
  if (typeof s !== 'string') return s;
  const trimmed = s.trim();
  const i = trimmed.lastIndexOf(':');
  if (i <= 0) return { host: trimmed, port: 6379 };
  const port = Number(trimmed.slice(i + 1));
  if (!Number.isInteger(port) || port <= 0) throw new TypeError(`invalid host:port ${JSON.stringify(s)}`);
  return { host: trimmed.slice(0, i), port };
}

/** Maps the shared `redisEnvSchema` fields (REDIS_URL, REDIS_SENTINELS, ...) to a connection config. */
export function redisConnectionConfigFrom(
  env: Readonly<{
    REDIS_URL: string;
    REDIS_SENTINELS?: readonly HostPort[] | undefined;
    REDIS_SENTINEL_NAME?: string;
    REDIS_CLUSTER_NODES?: readonly HostPort[] | undefined;
    REDIS_FAILOVER_WAIT_MS?: number;
  }>,
  connectionName?: string,
): RedisConnectionConfig {
  return {
    url: env.REDIS_URL,
    ...(env.REDIS_SENTINELS?.length ? { sentinels: [...env.REDIS_SENTINELS] } : {}),
    ...(env.REDIS_SENTINEL_NAME ? { sentinelName: env.REDIS_SENTINEL_NAME } : {}),
    ...(env.REDIS_CLUSTER_NODES?.length ? { clusterNodes: [...env.REDIS_CLUSTER_NODES] } : {}),
    ...(connectionName ? { connectionName } : {}),
    ...(env.REDIS_FAILOVER_WAIT_MS !== undefined ? { failoverWaitMs: env.REDIS_FAILOVER_WAIT_MS } : {}),
  };
}

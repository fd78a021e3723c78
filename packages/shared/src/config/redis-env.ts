import { z } from 'zod';
import { envHostPortList, envPositiveInt } from './env-fragments.ts';

/**
 * The Redis connection variables (standalone, Sentinel or Cluster) and the key layout every service shares: the
 * prefix and the mailbox partitions (defined once here, so the ingester, the workers and the dashboard agree).
 */
export const redisEnvSchema = z.object({
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379')
    .describe('Redis URL (standalone); may carry a password: redis://:pass@host:6379/0'),
  BATON_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/, 'expected letters, digits, _ . : -')
    .default('baton')
    .describe('Prefix of every Redis key and BullMQ queue, so several deployments can share a Redis'),
  REDIS_SENTINELS: envHostPortList()
    .optional()
    .describe('Sentinel nodes as host:port,host:port; when set, Redis is reached through Sentinel'),
  REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster').describe('Sentinel master group name'),
  REDIS_CLUSTER_NODES: envHostPortList()
    .optional()
    .describe('Cluster seed nodes as host:port,host:port; when set, Redis Cluster mode is used'),
  REDIS_FAILOVER_WAIT_MS: envPositiveInt()
    .default(30_000)
    .describe(
      'Redis Cluster: how long a command keeps retrying while its slot fails over to a replica (set it above cluster-node-timeout plus the election)',
    ),
  MAILBOX_PARTITIONS: envPositiveInt()
    .max(16_384, 'expected at most 16384 (the Redis Cluster hash slots)')
    .default(16)
    .describe(
      'Hash-tag partitions of the mailboxes; the same for the ingester, the workers and the dashboard; never change on a live deployment',
    ),
});

export type RedisEnv = z.infer<typeof redisEnvSchema>;

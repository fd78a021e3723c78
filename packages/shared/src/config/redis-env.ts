import { z } from 'zod';
import { envHostPortList } from './env-fragments.ts';

/** The Redis connection variables (standalone, Sentinel or Cluster) and the key prefix. */
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
});

export type RedisEnv = z.infer<typeof redisEnvSchema>;

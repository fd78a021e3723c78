import type { Cluster, Redis } from 'ioredis';
import { RedisUnreachableError } from './redis-unreachable-error.ts';

/**
 * Resolves once `client` is ready (connected and, for Cluster, the slots known); rejects with
 * RedisUnreachableError after `timeoutMs`, naming the last connection error (ECONNREFUSED…). The client keeps
 * reconnecting in the background: the caller disconnects it.
 */
export function waitRedisReady(client: Redis | Cluster, redis: string, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastError: string | undefined;
    const onError = (err: Error) => {
      const code = (err as { code?: unknown }).code;
      lastError = typeof code === 'string' ? code : err.message.slice(0, 200);
    };
    const done = () => {
      clearTimeout(timer);
      client.off('error', onError);
      client.off('ready', onReady);
    };
    const onReady = () => {
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new RedisUnreachableError(redis, timeoutMs, lastError));
    }, timeoutMs);
    client.on('error', onError);
    client.on('ready', onReady);
  });
}

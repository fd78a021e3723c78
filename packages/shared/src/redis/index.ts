export { type CreateRedisDeps, createRedis } from './create-redis.ts';
export {
  type HostPort,
  parseHostPort,
  type RedisConnectionConfig,
  redisConnectionConfigFrom,
} from './redis-connection-config.ts';
export { scanKeys } from './scan-keys.ts';

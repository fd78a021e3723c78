export { startTestRedis, type TestRedis, type TestRedisOptions, uniquePrefix } from './redis-server.ts';

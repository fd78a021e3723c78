export { startTestRedis, uniquePrefix, type TestRedis, type TestRedisOptions } from './redis-server.ts';

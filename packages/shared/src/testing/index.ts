export { type CapturedLogLines, captureLogLines } from './capture-log-lines.ts';
export {
  createFakeSymphonyClient,
  type FakeSymphonyClient,
  type FakeSymphonyClientOptions,
  type RecordedMessage,
} from './fake-symphony-client.ts';
export {
  hasTestChromium,
  launchTestChromium,
  TEST_CHROMIUM_ARGS,
  TEST_CHROMIUM_PATH,
} from './launch-test-chromium.ts';
export { openTestPage, type TestPage } from './open-test-page.ts';
export { openTestQueue } from './open-test-queue.ts';
export {
  startTestRedisCluster,
  type TestRedisCluster,
  type TestRedisClusterOptions,
} from './redis-cluster.ts';
export {
  startTestRedisSentinel,
  type TestRedisSentinel,
  type TestRedisSentinelOptions,
} from './redis-sentinel.ts';
export { startTestRedis, type TestRedis, type TestRedisOptions, uniquePrefix } from './redis-server.ts';
export { SpawnedRedis } from './spawned-redis.ts';

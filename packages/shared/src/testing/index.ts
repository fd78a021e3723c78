export {
  hasTestChromium,
  launchTestChromium,
  TEST_CHROMIUM_ARGS,
  TEST_CHROMIUM_PATH,
} from './launch-test-chromium.ts';
export { startTestRedis, type TestRedis, type TestRedisOptions, uniquePrefix } from './redis-server.ts';

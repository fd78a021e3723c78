export {
  buildEvent,
  buildMessageSent,
  type TestStream,
  type TestUser,
  toPresentationML,
} from './build-events.ts';
export { crashAfter, SimulatedCrashError } from './crash-after.ts';
export {
  createTestBot,
  type PendingTask,
  type SendMessageOptions,
  type SendOptions,
  type TestBot,
  type TestBotOptions,
  type TestFile,
  type TestReply,
  type TestUpdate,
} from './create-test-bot.ts';
export {
  createFakeOboClients,
  type FakeOboClients,
  FakeOboRejectedError,
  type RecordedOboCall,
  type TestOboMessage,
} from './fake-obo-clients.ts';
export {
  createFakeSymphonyClient,
  type FakeRoom,
  type FakeSymphonyClient,
  type RecordedCall,
} from './fake-symphony-client.ts';
export { createSilentLogger } from './silent-logger.ts';
export { createTestClock, type TestClock } from './test-clock.ts';
export { testId } from './test-ids.ts';
export { UpdateRefusedError } from './update-refused-error.ts';

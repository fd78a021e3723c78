export { type BoundedJson, boundJson, type JsonLimits } from './bound-json.ts';
export { type BoundedRaw, boundRawEvent, RAW_EXCERPT_LIMITS, WHOLE_RAW_LIMITS } from './bound-raw-event.ts';
export { buildDeadLetter, type DeadLetterInput } from './build-dead-letter.ts';
export { CorruptEntryError } from './corrupt-entry-error.ts';
export {
  createDeadLetters,
  type DeadLetterEntry,
  type DeadLetters,
  type DeadLettersDeps,
  type ReplayResult,
  whyNotReplayable,
} from './create-dead-letters.ts';
export { createMailbox, type MailboxOptions } from './create-mailbox.ts';
export { createMailboxBacklog } from './create-mailbox-backlog.ts';
export {
  DEAD_LETTER_TEXT_LIMITS,
  DEAD_LETTER_VERSION,
  type DeadLetter,
  type DeadLetterError,
  DeadLetterErrorSchema,
  DeadLetterSchema,
  DeadLetterV1Schema,
  type DeadLetterV2,
  DeadLetterV2Schema,
} from './dead-letter.ts';
export { deadLetterError } from './dead-letter-error.ts';
export { deadLetterId } from './dead-letter-id.ts';
export { defineScript, type ScriptFn } from './define-script.ts';
export { type DrainJob, DrainJobSchema } from './drain-job.ts';
export { type IngestKeys, ingestKeys } from './ingest-keys.ts';
export { type JsonDigest, jsonSha256, MAX_HASHED_CHARS } from './json-sha256.ts';
export { crc16, keySlot } from './key-slot.ts';
export type {
  AckMark,
  AckResult,
  Backlog,
  EnqueueItem,
  EnqueueOptions,
  EnqueueResult,
  Mailbox,
  MailboxBacklog,
  MailboxHead,
  StreamBacklog,
} from './mailbox.ts';
export { MailboxKeys } from './mailbox-keys.ts';
export { NotReplayableError } from './not-replayable-error.ts';
export { parseEntry, tryParseEntry } from './parse-entry.ts';
export { assertKeyPrefix, bullmqPrefix, queueNames } from './queue-names.ts';
export { QUEUE_CONTRACT_VERSION, type QueuedEvent, QueuedEventSchema } from './queued-event.ts';
export { drainJobOptions, hasLiveDrain, scheduleDrain, scheduleDrains } from './schedule-drain.ts';
export {
  type ScheduledTask,
  ScheduledTaskSchema,
  TASK_ID_RETENTION_SEC,
  TASK_KEY_PREFIX,
  taskEventKey,
  taskJobOptions,
} from './scheduled-task.ts';
export { UnknownDeadLetterError } from './unknown-dead-letter-error.ts';
export {
  type BotIdentityBeat,
  BotIdentitySchema,
  botFingerprint,
  type LatencyBuckets,
  LatencyBucketsSchema,
  parseWorkerHeartbeat,
  REPLY_LATENCY_BOUNDS_MS,
  WORKER_HEARTBEAT_VERSION,
  type WorkerHeartbeat,
  WorkerHeartbeatSchema,
} from './worker-heartbeat.ts';
export { type WorkerKeys, workerKeys } from './worker-keys.ts';
export { writeDeadLetters } from './write-dead-letters.ts';

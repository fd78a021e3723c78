export { CorruptEntryError } from './corrupt-entry-error.ts';
export { createMailbox, type MailboxOptions, parseEntry } from './create-mailbox.ts';
export { type DeadLetter, DeadLetterSchema } from './dead-letter.ts';
export { defineScript, type ScriptFn } from './define-script.ts';
export { type DrainJob, DrainJobSchema } from './drain-job.ts';
export { type IngestKeys, ingestKeys } from './ingest-keys.ts';
export { crc16, keySlot } from './key-slot.ts';
export type {
  AckResult,
  Backlog,
  EnqueueItem,
  EnqueueOptions,
  EnqueueResult,
  Mailbox,
  StreamBacklog,
} from './mailbox.ts';
export { MailboxKeys } from './mailbox-keys.ts';
export { assertKeyPrefix, bullmqPrefix, queueNames } from './queue-names.ts';
export { QUEUE_CONTRACT_VERSION, type QueuedEvent, QueuedEventSchema } from './queued-event.ts';
export { drainJobOptions, hasLiveDrain, scheduleDrain } from './schedule-drain.ts';
export {
  type BotIdentityBeat,
  BotIdentitySchema,
  botFingerprint,
  parseWorkerHeartbeat,
  WORKER_HEARTBEAT_VERSION,
  type WorkerHeartbeat,
  WorkerHeartbeatSchema,
} from './worker-heartbeat.ts';
export { type WorkerKeys, workerKeys } from './worker-keys.ts';

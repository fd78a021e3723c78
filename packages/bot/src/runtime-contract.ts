import type { BatonEvent } from '@baton/shared/events';
import type { Logger } from '@baton/shared/logging';
import type { Attachment, OboClients, SymphonyClient, V4MessageOut } from '@baton/shared/symphony-types';

/**
 * What the runtime hands to the bot framework for one event (or one scheduled task). The framework never
 * sees BullMQ or Redis queues: a bot can be unit-tested by feeding it events and in-memory services.
 */

/** A message to post: MessageML plus optional EntityJSON and files. */
export interface OutgoingMessage {
  /** MessageML (`<messageML>…</messageML>`). */
  message: string;
  /** EntityJSON object. */
  data?: Record<string, unknown>;
  /** Files (multipart `attachment` parts), already checked against Symphony's limits. */
  attachments?: Attachment[];
}

/**
 * Posts replies. The runtime's implementation is idempotent per (eventKey, reply index): the n-th reply of an
 * event maps to the same idempotency mark on every attempt, so a retried event never posts a reply twice.
 */
export interface ReplySender {
  send(streamId: string, msg: OutgoingMessage): Promise<V4MessageOut | undefined>;
}

/**
 * Replaces messages the bot posted (Symphony's message update: the new version gets a new message id and
 * replaces the old one in clients). The runtime's implementation is idempotent per `opId` (`ctx.updateMessage`
 * derives it from the event key and the call's rank within the event): a retried event updates once, and gets
 * the same new version back.
 */
export interface MessageUpdater {
  update(streamId: string, messageId: string, msg: OutgoingMessage, opId: string): Promise<V4MessageOut>;
}

/** Conversation state and small bot data. Redis implementation + in-memory implementation. */
export interface StateStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores a JSON-serialisable value, optionally expiring after `ttlSec` seconds. */
  set(key: string, value: unknown, ttlSec?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically adds `by` (default 1) to a numeric field of a hash and returns the new value. */
  incrementField(key: string, field: string, by?: number, ttlSec?: number): Promise<number>;
  /** All numeric fields of a hash (empty object when absent). */
  getFields(key: string): Promise<Record<string, number>>;
  /**
   * `incrementField` applied at most once per `opId` (use `ctx.meta.eventKey`): a retried or replayed event
   * does not count twice. Atomic: the increment and its "applied" mark are one write; the mark lives `ttlSec`
   * (or a week when the hash does not expire). `applied` is false when `opId` had already been applied; `value`
   * is the field's current value either way.
   */
  incrementFieldOnce(
    key: string,
    field: string,
    opId: string,
    by?: number,
    ttlSec?: number,
  ): Promise<{ value: number; applied: boolean }>;
  /**
   * Sets a hash field (a JSON value) only if it is absent: the first write wins (one vote per user). Returns
   * whether this call wrote it and the value the field now holds, so a retry can recognise its own write.
   */
  setFieldIfAbsent<T>(
    key: string,
    field: string,
    value: T,
    ttlSec?: number,
  ): Promise<{ set: boolean; value: T }>;
  /** Every field of a hash, JSON-decoded (counters read as numbers; empty object when absent). */
  getFieldValues<T = unknown>(key: string): Promise<Record<string, T>>;
}

/** A task to run later (e.g. `/remind`). */
export interface ScheduledTask {
  name: string;
  streamId: string;
  data: unknown;
  /**
   * Idempotency id: scheduling the same id again schedules nothing more (a retried event must not set two
   * reminders). `ctx.schedule` derives it from the event key and the call's rank within the event. Safe as a
   * BullMQ job id (`s` + hex: no `:`, never an integer).
   */
  id?: string;
}

/** Delayed tasks. The runtime implementation is a BullMQ delayed job, so tasks survive restarts. */
export interface Scheduler {
  /** Returns the task id. */
  schedule(delayMs: number, task: ScheduledTask): Promise<string>;
}

/** The bot's own identity (from session info). */
export interface BotUser {
  userId: number;
  username: string;
  displayName?: string;
}

/** Current backlog of the mailboxes, when the runtime can tell. */
export interface BacklogInfo {
  pending: number;
  streams: number;
  oldestAgeMs: number | null;
}

export interface RuntimeServices {
  client: SymphonyClient;
  botUser: BotUser;
  replies: ReplySender;
  /** Message updates (`ctx.updateMessage`); absent: the framework calls `client.updateMessage`, once per call. */
  updates?: MessageUpdater;
  state: StateStore;
  scheduler: Scheduler;
  backlog?: () => Promise<BacklogInfo>;
  logger: Logger;
  /** The on-behalf-of app's clients (`ctx.obo(user)`); absent when the runtime has no app configured. */
  obo?: OboClients;
}

/** Per-event metadata from the runtime. */
export interface HandleMeta {
  /** Stable key of the event (`eventKey(event)` from `@baton/shared`). */
  eventKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** When the ingester received the event (ms since epoch), if known. */
  receivedAt?: number;
  /**
   * True when newer events of the same stream were handled before this one: it arrived late (Symphony
   * redelivered it after an ingester leader failover, after newer ones had been read). Delivered anyway, once;
   * a handler for which order matters can check it (`ctx.late`). Absent = false.
   */
  late?: boolean;
}

/** A scheduled task as the runtime delivers it back to the bot. */
export interface TaskRun extends ScheduledTask {
  id: string;
}

/** Who a bot is, for heartbeats and the dashboard: its name and a fingerprint of its command set. */
export interface BotIdentity {
  /** The bot's name (`createBot({ name })`); two bots with different names never share a queue prefix. */
  name: string | undefined;
  /** The registered command patterns, sorted (what the fingerprint is computed from). */
  commands: string[];
  /** The bot's version (`createBot({ version })`), when it tells. */
  version?: string;
}

/**
 * What the runtime needs from a bot: the framework's `Bot` satisfies it, and a runtime (the worker, the test
 * kit, a bench harness) needs nothing else. The contract between bot and runtime is this file.
 */
export interface RuntimeBot {
  handle(event: BatonEvent, services: RuntimeServices, meta: HandleMeta): Promise<void>;
  handleTask(task: TaskRun, services: RuntimeServices): Promise<void>;
  /** Polite text posted once after the final failed attempt (undefined = stay silent). */
  failureReply(event: BatonEvent, botUser: BotUser): string | undefined;
  /** Name and command set (omitted by scripted test bots: the runtime then reports the module it loaded). */
  identity?(): BotIdentity;
}

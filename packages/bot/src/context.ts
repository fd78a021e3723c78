import type { BatonEvent } from '@baton/shared/events';
import type { Logger } from '@baton/shared/logging';
import type { Fragment, Token } from '@baton/shared/messageml';
import type { OboClient, OboUser, SymphonyClient, V4MessageOut } from '@baton/shared/symphony-types';
import type { MessageMLKit } from './message-ml-kit.ts';
import type { ArgsOf } from './pattern-types.ts';
import type { BotUser, HandleMeta, RuntimeServices, StateStore, TaskRun } from './runtime-contract.ts';

/** Any event type of the model (the 17 Symphony real-time event types). */
export type EventType = BatonEvent['type'];
/** The event of a given type. */
export type EventOf<T extends EventType> = Extract<BatonEvent, { type: T }>;
export type MessageSentEvent = EventOf<'MESSAGESENT'>;
export type ElementsActionEvent = EventOf<'SYMPHONYELEMENTSACTION'>;

/** What `ctx.reply` accepts: plain text (escaped) or trusted markup from the MessageML builder. */
export type ReplyContent = string | Fragment;

/** A file of the message being handled (`ctx.attachments`): Symphony's `V4AttachmentInfo` and where it is. */
export interface IncomingAttachment {
  /** `V4AttachmentInfo.id`. */
  id: string;
  /** The file name as the sender's client gave it: untrusted text, never a path. */
  name: string;
  /** Size in bytes, as Symphony declares it. */
  size: number;
  messageId: string;
  streamId: string;
}

/** What `ctx.download` needs: an entry of `ctx.attachments` (or the same ids kept from an earlier message). */
export type AttachmentToDownload = Pick<IncomingAttachment, 'id' | 'messageId' | 'streamId'> &
  Partial<Pick<IncomingAttachment, 'name' | 'size'>>;

/** A file to send with a reply. A string `data` is sent as UTF-8 text. */
export interface ReplyFile {
  /** File name shown to users; needs an extension (`report.txt`). */
  name: string;
  data: Uint8Array | string;
  /** MIME type of the part (default `application/octet-stream`). */
  contentType?: string;
}

/** `ctx.reply(content, { attachments, data? })`: files to send with the reply, and optional EntityJSON. */
export interface ReplyOptions {
  attachments: ReplyFile[];
  data?: Record<string, unknown>;
}

/** The second argument of `ctx.reply` / `ctx.send`: EntityJSON (as before), or `ReplyOptions`. */
export type ReplyExtras = Record<string, unknown> | ReplyOptions;

/** The user who caused the event. */
export interface Initiator {
  userId: number;
  displayName?: string;
  username?: string;
}

/**
 * What a handler may do on behalf of one user (`ctx.obo(user)`): only the calls on-behalf-of allows, each made
 * with that user's session, so Symphony records them as the user's (a message sent is the user's message).
 */
export interface OboContext {
  readonly user: OboUser;
  /**
   * Posts `content` into `streamId` as the user (a stream they are a member of). Plain text is escaped; builder
   * output is trusted markup; the second argument as for `ctx.reply`. Idempotent per event: the n-th OBO send of
   * a retried event returns the first try's message once that one was posted.
   */
  send(streamId: string, content: ReplyContent, extras?: ReplyExtras): Promise<V4MessageOut>;
  /** The user's streams (`POST /pod/v1/streams/list`), oldest first. */
  listStreams: OboClient['listStreams'];
  /** An IM (or MIM) between the user and `userIds`; the same members give the same IM again. */
  createIm: OboClient['createIm'];
  /** A room the user creates and owns. Not idempotent: a retried handler creates another. */
  createRoom: OboClient['createRoom'];
  /** Who the session is (`GET /pod/v2/sessioninfo` as the user). */
  getSessionInfo: OboClient['getSessionInfo'];
}

/** Conversation state of one user in one stream, expiring after a TTL (multi-step dialogs). */
export interface Conversation {
  get<T = Record<string, unknown>>(): Promise<T | undefined>;
  set(value: unknown, ttlSec?: number): Promise<void>;
  /** Forgets the state and any pending step. */
  clear(): Promise<void>;
}

/** What every handler and middleware gets. */
export interface BaseContext {
  /** The event being handled (undefined for scheduled tasks). */
  event: BatonEvent | undefined;
  streamId: string;
  /** The initiator (undefined for scheduled tasks and events without a user). */
  user: Initiator | undefined;
  botUser: BotUser;
  client: SymphonyClient;
  /** Bot-wide key/value store. */
  state: StateStore;
  /** State of this user in this stream. */
  conversation: Conversation;
  /** Child logger with `{ streamId, eventKey }`. */
  log: Logger;
  services: RuntimeServices;
  meta: HandleMeta | undefined;
  /**
   * Stable key of what is being handled: the event key (`meta.eventKey`), or `task-<id>` for a scheduled task.
   * The same on every retry: key side effects on it (`state.incrementFieldOnce(…, ctx.eventKey)`) so an
   * at-least-once retry cannot apply them twice.
   */
  eventKey: string;
  /**
   * True when this event arrived after newer events of its stream had been handled (a batch Symphony redelivered
   * after an ingester leader failover): it is delivered once, but out of order. Check it where order matters
   * (e.g. ignore a late "edit" superseded by a later one). Always false for scheduled tasks.
   */
  late: boolean;
  /** The MessageML builder: a tagged template with the helpers (bold, mention, table, form…) as properties. */
  messageML: MessageMLKit;
  /**
   * Replies in the current stream. Plain text is escaped; builder output is trusted markup. The second
   * argument is EntityJSON, or `{ attachments: [{ name, data }], data? }` to send files with the reply (checked
   * against Symphony's limits first: `AttachmentLimitError`, code `SYMPHONY_ATTACHMENT_LIMIT`, posts nothing).
   */
  reply(content: ReplyContent, extras?: ReplyExtras): Promise<V4MessageOut | undefined>;
  /** Posts into another stream (e.g. a room the bot just created), through the same idempotent sender. */
  send(streamId: string, content: ReplyContent, extras?: ReplyExtras): Promise<V4MessageOut | undefined>;
  /** The files of the message being handled (MESSAGESENT), in order; empty for anything else. */
  attachments: readonly IncomingAttachment[];
  /**
   * The bytes of an attachment (an entry of `ctx.attachments`), at most `maxBytes` (default: the bot's
   * `maxDownloadBytes`, 10 MiB). Larger is `AttachmentTooLargeError` (code `SYMPHONY_ATTACHMENT_TOO_LARGE`):
   * refused before the call when the declared size says so, cut off when the bytes do.
   */
  download(attachment: AttachmentToDownload, opts?: { maxBytes?: number }): Promise<Buffer>;
  /**
   * Replaces a message the bot posted in this stream (an id `ctx.reply` returned, or a form's `formMessageId`)
   * with `content`: clients show the new version in place of the old. Returns the new version, whose
   * `messageId` is **new**: keep it, the next update must name the latest version. Safe to retry: the n-th
   * update of a retried event is applied once. A refusal (not the bot's message, gone, already replaced) throws
   * an error with code `SYMPHONY_UPDATE_REFUSED`.
   */
  updateMessage(
    messageId: string,
    content: ReplyContent,
    data?: Record<string, unknown>,
  ): Promise<V4MessageOut>;
  /**
   * Schedules a task handler (`bot.task(name, …)`) to run in this stream after `delayMs`. Idempotent per event:
   * the n-th call of a retried event reuses the id of the first try's n-th call.
   */
  schedule(delayMs: number, taskName: string, data?: unknown): Promise<string>;
  /** Routes this user's next plain message in this stream to the step handler `bot.step(step, …)`. */
  expect(step: string, opts?: { ttlSec?: number }): Promise<void>;
  /**
   * Acts on behalf of `user` (`ctx.user` works: it has a `userId`; or `{ username }`) through the runtime's
   * on-behalf-of app. Throws `OboNotConfiguredError` (`OBO_NOT_CONFIGURED`) without one; a user who has not
   * installed the app makes the calls fail with `SYMPHONY_OBO_USER_REJECTED`.
   */
  obo(user: { userId: number } | { username: string }): OboContext;
}

/** Kinds of dispatch, visible to middleware. */
export type DispatchKind =
  | 'command'
  | 'usage-error'
  | 'unknown-command'
  | 'step'
  | 'message'
  | 'event'
  | 'form'
  | 'task';

export interface MiddlewareContext extends BaseContext {
  kind: DispatchKind;
  /** The matched command (its literal prefix, e.g. `/room create`) for kinds command and usage-error. */
  command?: string;
}

export type Middleware = (ctx: MiddlewareContext, next: () => Promise<void>) => Promise<void>;

export interface MessageContext extends BaseContext {
  event: MessageSentEvent;
  user: Initiator;
  /** The message as plain text. */
  text: string;
  tokens: Token[];
}

export interface CommandContext<A = Record<string, unknown>> extends MessageContext {
  /** The command's literal prefix, e.g. `/room create`. */
  command: string;
  /** Validated, typed arguments. */
  args: A;
}

export interface EventContext<E extends BatonEvent = BatonEvent> extends BaseContext {
  event: E;
}

export interface FormContext extends BaseContext {
  event: ElementsActionEvent;
  user: Initiator;
  formId: string;
  formMessageId: string;
  /** The submitted values (`action` is the clicked button's name). */
  values: Record<string, unknown>;
  action: string | undefined;
}

export interface StepContext extends MessageContext {
  /** The pending step's name. */
  step: string;
}

export interface TaskContext extends BaseContext {
  event: undefined;
  task: TaskRun;
  data: unknown;
}

export type CommandHandler<A = Record<string, unknown>> = (ctx: CommandContext<A>) => Promise<void> | void;
export type ListenerHandler<E extends BatonEvent = BatonEvent> = (
  ctx: EventContext<E>,
) => Promise<void> | void;
export type FormHandler = (ctx: FormContext) => Promise<void> | void;
export type StepHandler = (ctx: StepContext) => Promise<void> | void;
export type TaskHandler = (ctx: TaskContext) => Promise<void> | void;

export interface CommandSpec<P extends string> {
  description: string;
  examples?: string[];
  handler: CommandHandler<ArgsOf<P>>;
  /** Restrict the command to these users and/or streams (others get a polite refusal). */
  allow?: { users?: number[]; streams?: string[] };
  /** Hide from /help. */
  hidden?: boolean;
}

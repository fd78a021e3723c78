/**
 * The Symphony REST surface Baton uses, as one typed interface. The implementation (HTTP on undici) lives in
 * `create-symphony-client.ts`; tests and the bot test kit may provide fakes of this interface.
 *
 * Every method:
 * - authenticates lazily, re-authenticates once on 401 (single-flight) and replays the call;
 * - retries 5xx / network / 429 (and 400 + Retry-After) with jittered exponential backoff honouring
 *   `Retry-After`, within `CallOptions.retry` (default: a bounded budget);
 * - throws only the coded errors of `errors.ts` (never a raw transport error);
 * - sends an `X-Trace-Id` header (CallOptions.traceId or a random 6-char id) and honours `signal`.
 */

export interface RetryPolicy {
  /** Maximum attempts including the first; `Infinity` only where the caller asks for it (the feed loop). */
  maxAttempts: number;
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  traceId?: string;
  /** Override the client's default retry policy for this call. */
  retry?: Partial<RetryPolicy>;
  /** Per-call HTTP timeout in ms (datafeed reads default to 35 s). */
  timeoutMs?: number;
}

/** `GET /pod/v2/sessioninfo` (abridged UserV2). Note the field is `id` (int64 as a JSON number). */
export interface SessionInfo {
  id: number;
  username: string;
  displayName?: string;
  emailAddress?: string;
  [key: string]: unknown;
}

export interface UserInfo {
  id: number;
  username?: string;
  displayName?: string;
  emailAddress?: string;
  [key: string]: unknown;
}

export interface V5Datafeed {
  id: string;
  type?: string;
  createdAt?: number;
}

/** Raw events are returned unvalidated (`unknown`): validation is the caller's (the event model's) job. */
export interface V5ReadResult {
  events: unknown[];
  ackId: string;
}

export interface DatahoseReadRequest {
  tag: string;
  eventTypes: string[];
  ackId?: string;
  scopes?: string[];
}

/** A file to send with a message (one multipart `attachment` part); checked against `AttachmentLimits` first. */
export interface Attachment {
  filename: string;
  content: Buffer | Uint8Array;
  contentType?: string;
}

/** Which attachment `downloadAttachment` fetches: the ids of `V4Message.attachments[i]` and its message. */
export interface AttachmentRef {
  streamId: string;
  messageId: string;
  /** `V4AttachmentInfo.id`. */
  attachmentId: string;
}

export interface DownloadOptions extends CallOptions {
  /** Refuse (`AttachmentTooLargeError`) more decoded bytes than this. Default 30 MiB (a message's maximum). */
  maxBytes?: number;
}

export interface SendMessageRequest {
  /** MessageML (`<messageML>…</messageML>`) or PresentationML. */
  message: string;
  /** EntityJSON object (serialised by the client) or an already serialised string. */
  data?: Record<string, unknown> | string;
  version?: string;
  attachments?: Attachment[];
  silent?: boolean;
}

/** V4Message as returned by message create / list (abridged; extra fields kept). */
export interface V4MessageOut {
  messageId: string;
  timestamp: number;
  message: string;
  data?: string;
  user?: { userId: number; displayName?: string; username?: string; [key: string]: unknown };
  stream?: { streamId: string; streamType?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Query of `listMessages` (agent v4 message list). Times are ms since the epoch, both ends inclusive. */
export interface ListMessagesQuery {
  since: number;
  until?: number;
  skip?: number;
  limit?: number;
}

export interface RoomAttributes {
  name: string;
  description?: string;
  keywords?: { key: string; value: string }[];
  membersCanInvite?: boolean;
  discoverable?: boolean;
  public?: boolean;
  readOnly?: boolean;
  copyProtected?: boolean;
  crossPod?: boolean;
  viewHistory?: boolean;
  multiLateralRoom?: boolean;
}

export interface RoomDetail {
  roomAttributes: RoomAttributes & Record<string, unknown>;
  roomSystemInfo: { id: string; creationDate?: number; createdByUserId?: number; active: boolean };
  [key: string]: unknown;
}

export interface SymphonyClient {
  /** Authenticate now (pod session + key manager); normally done lazily. */
  authenticate(opts?: CallOptions): Promise<void>;
  /** Drop the tokens held in memory (e.g. on shutdown). */
  logout(): void;

  getSessionInfo(opts?: CallOptions): Promise<SessionInfo>;
  /**
   * The user with this id (`GET /pod/v3/users?uid=`), or undefined when the pod has none (its 204 "No user
   * found", or an empty list): "no such user" is an answer, not an error.
   */
  getUser(userId: number, opts?: CallOptions): Promise<UserInfo | undefined>;
  getUserByUsername(username: string, opts?: CallOptions): Promise<UserInfo | undefined>;

  // Datafeed v1 (agent v4). read() returns [] on 204.
  createDatafeedV1(opts?: CallOptions): Promise<{ id: string }>;
  readDatafeedV1(feedId: string, opts?: CallOptions): Promise<unknown[]>;

  // Datafeed v2 (agent v5).
  listDatafeeds(opts?: CallOptions): Promise<V5Datafeed[]>;
  createDatafeed(
    body?: { tag?: string; includeInvisible?: boolean },
    opts?: CallOptions,
  ): Promise<V5Datafeed>;
  readDatafeed(feedId: string, ackId: string, opts?: CallOptions): Promise<V5ReadResult>;
  deleteDatafeed(feedId: string, opts?: CallOptions): Promise<void>;

  // Datahose.
  readDatahose(req: DatahoseReadRequest, opts?: CallOptions): Promise<V5ReadResult>;

  // Messages and streams. Stream ids are normalised to URL-safe base64 without padding.
  sendMessage(streamId: string, msg: SendMessageRequest, opts?: CallOptions): Promise<V4MessageOut>;
  /**
   * `GET /agent/v4/stream/{sid}/message`: the stream's messages with `since <= timestamp <= until`, **oldest
   * first**, after skipping `skip` of them, at most `limit` (agent default 50, max 500). The API has no newest-
   * first order. To page, pass the last timestamp seen as `since` and the number of messages with exactly that
   * timestamp already seen as `skip` (the spec's pagination; see `docs/worker.md`, reply recovery).
   */
  listMessages(streamId: string, query: ListMessagesQuery, opts?: CallOptions): Promise<V4MessageOut[]>;
  /**
   * `POST /agent/v4/stream/{sid}/message/{mid}/update`: replaces message `messageId` (one the bot sent) with
   * `msg` in clients. Returns the new version: a **new** `messageId`, `replacing` = `messageId`,
   * `initialMessageId`/`initialTimestamp` of the first version. Update the latest version (the id this returns)
   * next time. A refusal (the message is missing, not the bot's, deleted, or already replaced: 400/403/404) is
   * `MessageUpdateRefusedError`. A 5xx is retried like any call, and a retry of an update that went through is
   * refused (the message is replaced by then): callers that must know pass `retry: { maxAttempts: 1 }` and check
   * the stream, as the worker does (docs/worker.md).
   */
  updateMessage(
    streamId: string,
    messageId: string,
    msg: SendMessageRequest,
    opts?: CallOptions,
  ): Promise<V4MessageOut>;
  createIm(userIds: number[], opts?: CallOptions): Promise<{ id: string }>;
  createRoom(attrs: RoomAttributes, opts?: CallOptions): Promise<RoomDetail>;
  getRoomInfo(streamId: string, opts?: CallOptions): Promise<RoomDetail>;
  addMember(streamId: string, userId: number, opts?: CallOptions): Promise<void>;
  /**
   * `GET /agent/v1/stream/{sid}/attachment?fileId=…&messageId=…`: the attachment's bytes (the agent sends them
   * base64-encoded; this decodes them). The read is cut off past `maxBytes` of decoded content
   * (`AttachmentTooLargeError`, not retried); an unknown attachment or a stream the bot is not in is a
   * `ClientError` (400/403).
   */
  downloadAttachment(ref: AttachmentRef, opts?: DownloadOptions): Promise<Buffer>;
}

export {
  type AttachmentLimits,
  checkAttachments,
  DEFAULT_ATTACHMENT_LIMITS,
  DEFAULT_MAX_DOWNLOAD_BYTES,
  extensionOf,
} from './attachment-limits.ts';
export { AttachmentLimitError, AttachmentTooLargeError, MessageTooLargeError } from './errors.ts';
export { checkMessageSize, MAX_MESSAGE_BYTES, messageBytes } from './message-limits.ts';
export type * from './obo-types.ts';

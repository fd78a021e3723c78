/**
 * The Symphony REST surface Baton uses, as one typed interface. The implementation (axios) lives in
 * `create-symphony-client.ts`; tests and the bot test kit may provide fakes of this interface.
 *
 * Every method:
 * - authenticates lazily, re-authenticates once on 401 (single-flight) and replays the call;
 * - retries 5xx / network / 429 (and 400 + Retry-After) with jittered exponential backoff honouring
 *   `Retry-After`, within `CallOptions.retry` (default: a bounded budget);
 * - throws only the coded errors of `errors.ts` (never a raw axios error);
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

export interface Attachment {
  filename: string;
  content: Buffer | Uint8Array;
  contentType?: string;
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
  getUser(userId: number, opts?: CallOptions): Promise<UserInfo>;
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
  listMessages(
    streamId: string,
    query: { since: number; limit?: number },
    opts?: CallOptions,
  ): Promise<V4MessageOut[]>;
  createIm(userIds: number[], opts?: CallOptions): Promise<{ id: string }>;
  createRoom(attrs: RoomAttributes, opts?: CallOptions): Promise<RoomDetail>;
  getRoomInfo(streamId: string, opts?: CallOptions): Promise<RoomDetail>;
  addMember(streamId: string, userId: number, opts?: CallOptions): Promise<void>;
}

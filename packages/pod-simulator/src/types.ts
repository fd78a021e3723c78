import type { SimAppControl } from './app-control.ts';
import type { SimLogger } from './logger.ts';

/** A pod user (the bot included). `userId` is an int64 JSON number, the same everywhere. */
export interface SimUser {
  userId: number;
  username: string;
  displayName: string;
  firstName: string;
  lastName: string;
  emailAddress: string;
  bot: boolean;
  /** PEM (SPKI or PKCS#1) used to verify the user's RSA JWTs; absent users cannot authenticate. */
  publicKeyPem?: string;
}

export type StreamType = 'IM' | 'ROOM';

export interface SimStream {
  streamId: string;
  type: StreamType;
  name?: string;
  memberIds: number[];
  createdByUserId: number;
  createdAt: number;
  active: boolean;
  roomAttributes?: Record<string, unknown>;
}

/** A stored message, as `GET /_sim/streams/{id}/messages`, `onMessage` and the live SSE feed give it. */
export interface SimMessage {
  messageId: string;
  streamId: string;
  timestamp: number;
  sender: { userId: number; username: string; displayName: string; bot: boolean };
  /** PresentationML (`<div data-format="PresentationML" data-version="2.0">…</div>`). */
  presentationML: string;
  /** EntityJSON, parsed. */
  data: Record<string, unknown>;
  /** Plain text content of the PresentationML. */
  text: string;
  /** Files attached (V4AttachmentInfo); their bytes are served by the attachment download. */
  attachments?: SimAttachment[];
  /** Set on a version made by message update: the id of the version it replaces (V4Message `replacing`). */
  replacing?: string;
  /** Set on a version an update replaced: the id of its replacement (V4Message `replacedBy`). */
  replacedBy?: string;
  /** On an updated version: the id and time of the first version of the message (`initialMessageId`, `initialTimestamp`). */
  initialMessageId?: string;
  initialTimestamp?: number;
}

export interface SimAttachment {
  id: string;
  name: string;
  size: number;
}

/** A file sent with a message through the control API (the chat page's file picker). */
export interface SimAttachmentUpload {
  name: string;
  content: Buffer | Uint8Array;
}

/** A Symphony Elements submission made through the control API. */
export interface SimFormSubmission {
  streamId: string;
  fromUserId: number;
  formMessageId: string;
  formId: string;
  formValues: Record<string, unknown>;
  timestamp: number;
}

export interface FaultRule {
  /** Path prefix the rule applies to (e.g. `/agent/v5/datafeeds`); `/` matches everything outside `/_sim`. */
  path: string;
  /** Only these HTTP methods (default all). */
  methods?: string[];
  /** Probabilities in [0, 1], drawn in this order: drop, 500, 503, 429. */
  drop?: number;
  error500?: number;
  error503?: number;
  error429?: number;
  /** `Retry-After` seconds sent with 429 (default 1). */
  retryAfterSeconds?: number;
  /**
   * Answer the `error429` draws with this status: 429 (default), or 400 as agents since 20.12 do when a
   * downstream service throttles (the `Retry-After` header is kept). A 400 on a datafeed read then looks like
   * a gone feed to clients that ignore `Retry-After`.
   */
  rateLimitStatus?: 429 | 400;
  /** Added latency in ms before the request is handled (or failed). */
  latencyMs?: number;
  /** Apply to this many matching requests, then stop (default unlimited). */
  times?: number;
}

export interface FaultSpec {
  /** Seed for the fault PRNG: the same seed and request sequence give the same faults. */
  seed?: number;
  rules?: FaultRule[];
  /** One-shot actions performed when the faults are set. */
  invalidateSessions?: boolean | { userId?: number };
  expireFeeds?: boolean | { userId?: number; feedId?: string };
}

export interface FeedStats {
  id: string;
  version: 'v1' | 'v2' | 'datahose';
  userId: number;
  unread: number;
  highWater: number;
  delivered: number;
  acknowledged: number;
  redelivered: number;
  expired: boolean;
  expiredReason?: 'capacity' | 'ttl' | 'replaced' | 'deleted' | 'forced';
}

export interface SimStats {
  feeds: FeedStats[];
  feedsExpired: number;
  messagesCreated: number;
  eventsPublished: number;
  /** Keyed by `METHOD /route/template`, e.g. `GET /agent/v4/datafeed/:id/read`. */
  requests: Record<string, number>;
}

/** The RSA public key of a seed user or app, inline or in a file. */
export interface SeedPublicKey {
  /** Inline PEM. */
  publicKey?: string;
  /** Path to a PEM file (relative to the seed file). */
  publicKeyPath?: string;
}

export interface SeedUser extends SeedPublicKey {
  username: string;
  displayName?: string;
  bot?: boolean;
}

/** An extension app of the seed (on-behalf-of): its RSA public key and the users who installed it. */
export interface SeedApp extends SeedPublicKey {
  appId: string;
  name?: string;
  /** Usernames of the users who installed the app (default none). */
  users?: string[];
}

export interface SeedSpec {
  users?: SeedUser[];
  apps?: SeedApp[];
  rooms?: { name: string; members: string[] }[];
  ims?: { members: string[] }[];
}

export interface SimulatorOptions {
  /** 0 = random free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  https?: { cert: string; key: string } | 'self-signed';
  /**
   * Serve certificate authentication (`/sessionauth/v1/authenticate`, `/keyauth/v1/authenticate`) on a second,
   * mutual-TLS listener that trusts client certificates signed by `caCertPem` (its own server certificate is the
   * `https` one, or a generated self-signed one). Off by default.
   */
  certAuth?: { caCertPem: string; port?: number };
  /** Hold of v1 and v2 reads when nothing is queued (default 30000). */
  longPollMs?: number;
  /** v2: delay before events not acknowledged are queued again (default 30000). */
  redeliveryMs?: number;
  /** v2: a feed not read for this long is deleted (default 30 min). */
  feedTtlMs?: number;
  /** v1: unread queue size at which a feed expires (default 250). */
  v1QueueSize?: number;
  /** Max events per read, v1 and v2 (default 100). */
  maxEventsPerRead?: number;
  /**
   * Extra agent front-ends over the same pod state, each on its own port (`Simulator.agents`): for agent load
   * balancing and failover. Default 0 (the main listener serves the agent API as well).
   */
  agents?: number;
  /** Ports of the extra agent front-ends, in order (default: free ports). */
  agentPorts?: number[];
  seed?: SeedSpec;
  /** Base directory for `publicKeyPath` entries of the seed. */
  seedDir?: string;
  logger?: SimLogger;
}

export interface CreateUserInput {
  username: string;
  displayName?: string;
  publicKeyPem?: string;
  bot?: boolean;
}

export interface SimulatorControl extends SimAppControl {
  createUser(input: CreateUserInput): { userId: number };
  listUsers(): SimUser[];
  createStream(input: { type: StreamType; memberIds: number[]; name?: string }): { streamId: string };
  /**
   * A room created by a user the way a Symphony client does it: the room with its creator alone (ROOMCREATED to
   * the creator), then each member added (one USERJOINEDROOM per member, to every member at that point).
   */
  createRoomAs(input: { fromUserId: number; name: string; memberIds: number[]; description?: string }): {
    streamId: string;
  };
  listStreams(memberId?: number): SimStream[];
  /**
   * Plain text from a user; `@username` becomes a mention. Delivered as a Symphony client's message. With
   * `attachments` the text may be empty (an attachment-only message); Symphony's 30 MB total applies.
   */
  sendMessage(
    streamId: string,
    input: { fromUserId: number; text: string; attachments?: SimAttachmentUpload[] },
  ): { messageId: string };
  /** The bytes of an attachment of a stored message (what the agent's attachment download serves). */
  attachmentContent(messageId: string, attachmentId: string): Buffer | undefined;
  /** An Elements form submission (emits SYMPHONYELEMENTSACTION). */
  submitForm(
    streamId: string,
    input: { fromUserId: number; formMessageId: string; formId: string; formValues: Record<string, unknown> },
  ): void;
  /** Push any JSON (malformed allowed) onto every feed of the user. */
  injectEvent(userId: number, rawEvent: unknown): void;
  listMessages(streamId: string): SimMessage[];
  setFaults(faults: FaultSpec): void;
  clearFaults(): void;
  /** Invalidate every session (or one user's); the next call with an old token gets 401. */
  invalidateSessions(userId?: number): void;
  /** Expire every live feed (or one user's) now. */
  expireFeeds(userId?: number): void;
  stats(): SimStats;
  onMessage(listener: (streamId: string, message: SimMessage) => void): () => void;
  onFormSubmission(listener: (submission: SimFormSubmission) => void): () => void;
  generateKeyPair(): { privateKeyPem: string; publicKeyPem: string };
}

/**
 * One extra agent front-end (`SimulatorOptions.agents`): the agent API on its own port, over the shared pod
 * state. Killable and faultable alone (also through `/_sim/agents`).
 */
export interface SimAgentFrontEnd {
  /** Its position in `Simulator.agents` (0-based). */
  index: number;
  /** Its origin, e.g. `http://127.0.0.1:40123` (the same port after a revive). */
  readonly url: string;
  /** Listening (false once killed, until revived). */
  readonly up: boolean;
  /** Requests it received, keyed by `METHOD /route/template`. */
  requests(): Record<string, number>;
  /** Closes its listener and destroys every open connection (held datafeed reads included): calls are refused. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  revive(): Promise<void>;
  /** Faults for this front-end only (the `rules` and `seed` of a FaultSpec), on top of the pod-wide ones. */
  setFaults(spec: FaultSpec): void;
  clearFaults(): void;
}

export interface Simulator {
  url: string;
  /**
   * PEM of the self-signed certificate when `https: 'self-signed'` or when the certificate-auth listener
   * generated one (trust it as a CA).
   */
  caCertPem?: string;
  /** Origin of the mutual-TLS certificate-auth listener, when `certAuth` is set. */
  certAuthUrl?: string;
  control: SimulatorControl;
  /** The extra agent front-ends (`SimulatorOptions.agents`); empty by default. */
  agents: SimAgentFrontEnd[];
  close(): Promise<void>;
}

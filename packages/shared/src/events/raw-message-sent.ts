/** A user as a V4Event names it. */
export interface RawUser {
  userId: number;
  username: string;
  displayName: string;
}

export interface RawMessageSentOptions {
  streamId: string;
  /** Default `ROOM`. */
  streamType?: string;
  /** More fields of the message's stream (`roomName`, `external`, `crossPod`…), after `streamId` and `streamType`. */
  stream?: Record<string, unknown>;
  /** The sender (default: user 7, `test.user`), also the initiator; a `displayName` not given is left out. */
  from?: Omit<RawUser, 'displayName'> & { displayName?: string };
  /** Plain text: XML-escaped and wrapped in a PresentationML paragraph (unless `presentationML` is given). */
  text?: string;
  /** The message's PresentationML, as the agent delivers it. */
  presentationML?: string;
  /** EntityJSON, a string (default `{}`). */
  data?: string;
  /** `V4AttachmentInfo` entries (left out when not given). */
  attachments?: unknown[];
  /** The event id (default: unique in this process). */
  id?: string;
  /** The message id (default: unique in this process). */
  messageId?: string;
  /** Default: now. */
  timestamp?: number;
  /** Default `DESKTOP-43.0.0`. */
  userAgent?: string;
  /** Fields that replace the message's, applied last: to break an event on purpose. */
  message?: Record<string, unknown>;
  /** Fields that replace the envelope's (`id`, `timestamp`, `initiator`…), applied last. */
  envelope?: Record<string, unknown>;
}

const DEFAULT_SENDER: RawUser = { userId: 7, username: 'test.user', displayName: 'Test User' };

let counter = 0;
const uniqueId = (label: string) =>
  `${label}${process.pid.toString(36)}x${Date.now().toString(36)}x${(++counter).toString(36)}`;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const v4User = (u: NonNullable<RawMessageSentOptions['from']>) => ({
  userId: u.userId,
  username: u.username,
  ...(u.displayName !== undefined ? { displayName: u.displayName } : {}),
});

/**
 * The `V4Message` of a MESSAGESENT as the agent's datafeed delivers it, as plain unvalidated JSON (the message
 * part of `rawMessageSent`; the bot test kit's `buildMessageSent` wraps and validates it).
 */
export function rawV4Message(opts: RawMessageSentOptions & { messageId: string; timestamp: number }) {
  const presentationML =
    opts.presentationML ??
    `<div data-format="PresentationML" data-version="2.0"><p>${escapeXml(opts.text ?? '')}</p></div>`;
  return {
    messageId: opts.messageId,
    timestamp: opts.timestamp,
    message: presentationML,
    data: opts.data ?? '{}',
    ...(opts.attachments !== undefined ? { attachments: opts.attachments } : {}),
    user: v4User(opts.from ?? DEFAULT_SENDER),
    stream: { streamId: opts.streamId, streamType: opts.streamType ?? 'ROOM', ...opts.stream },
    externalRecipients: false,
    userAgent: opts.userAgent ?? 'DESKTOP-43.0.0',
    originalFormat: 'com.symphony.messageml.v2',
    ...opts.message,
  };
}

/**
 * A MESSAGESENT V4Event as the agent's datafeed delivers it, as plain unvalidated JSON: for tests that hand raw
 * events to the ingester, a mailbox or the parser, or break them on purpose (`message`, `envelope`). The one
 * MESSAGESENT builder: the bot test kit's `buildMessageSent` builds its message with `rawV4Message`.
 */
export function rawMessageSent(opts: RawMessageSentOptions): Record<string, unknown> {
  const messageId = opts.messageId ?? uniqueId('msg');
  const timestamp = opts.timestamp ?? Date.now();
  return {
    id: opts.id ?? uniqueId('ev'),
    messageId,
    timestamp,
    type: 'MESSAGESENT',
    initiator: { user: v4User(opts.from ?? DEFAULT_SENDER) },
    payload: { messageSent: { message: rawV4Message({ ...opts, messageId, timestamp }) } },
    ...opts.envelope,
  };
}

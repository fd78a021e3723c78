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
  /** The sender (default: user 7, `test.user`). */
  from?: RawUser;
  /** Plain text: XML-escaped and wrapped in a PresentationML paragraph (unless `presentationML` is given). */
  text?: string;
  /** The message's PresentationML, as the agent delivers it. */
  presentationML?: string;
  /** EntityJSON, a string (default `{}`). */
  data?: string;
  /** The event id (default: unique in this process). */
  id?: string;
  /** The message id (default: unique in this process). */
  messageId?: string;
  /** Default: now. */
  timestamp?: number;
  /** Default `DESKTOP-43.0.0`. */
  userAgent?: string;
}

const DEFAULT_SENDER: RawUser = { userId: 7, username: 'test.user', displayName: 'Test User' };

let counter = 0;
const uniqueId = (label: string) =>
  `${label}${process.pid.toString(36)}x${Date.now().toString(36)}x${(++counter).toString(36)}`;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A MESSAGESENT V4Event as the agent's datafeed delivers it, as plain unvalidated JSON: for tests that hand raw
 * events to the ingester, a mailbox or the worker's parser, or break them on purpose. (A bot's tests build
 * validated events with `@baton/bot/testkit`.)
 */
export function rawMessageSent(opts: RawMessageSentOptions): Record<string, unknown> {
  const messageId = opts.messageId ?? uniqueId('msg');
  const timestamp = opts.timestamp ?? Date.now();
  const from = opts.from ?? DEFAULT_SENDER;
  const user = { userId: from.userId, username: from.username, displayName: from.displayName };
  const presentationML =
    opts.presentationML ??
    `<div data-format="PresentationML" data-version="2.0"><p>${escapeXml(opts.text ?? '')}</p></div>`;
  return {
    id: opts.id ?? uniqueId('ev'),
    messageId,
    timestamp,
    type: 'MESSAGESENT',
    initiator: { user },
    payload: {
      messageSent: {
        message: {
          messageId,
          timestamp,
          message: presentationML,
          data: opts.data ?? '{}',
          user,
          stream: { streamId: opts.streamId, streamType: opts.streamType ?? 'ROOM' },
          externalRecipients: false,
          userAgent: opts.userAgent ?? 'DESKTOP-43.0.0',
          originalFormat: 'com.symphony.messageml.v2',
        },
      },
    },
  };
}

import type { BatonEvent, EventType } from '@baton/shared/events';
import { PAYLOAD_KEY_BY_TYPE, parseEvent, rawV4Message } from '@baton/shared/events';
import { escapeMessageML } from '@baton/shared/messageml';
import { testId } from './test-ids.ts';

/** A user in a test. */
export interface TestUser {
  userId: number;
  username: string;
  displayName: string;
}

/** A stream in a test. */
export interface TestStream {
  streamId: string;
  streamType: 'IM' | 'MIM' | 'ROOM';
  roomName?: string;
}

const ENTITY_RE = /@([A-Za-z0-9_.-]+)|#([A-Za-z0-9_.-]+)|\$([A-Za-z][A-Za-z0-9_.-]*)/g;

const v4User = (u: TestUser) => ({
  userId: u.userId,
  username: u.username,
  displayName: u.displayName,
  firstName: u.displayName.split(' ')[0],
  lastName: u.displayName.split(' ').slice(1).join(' ') || undefined,
  email: `${u.username}@example.com`,
});
const v4Stream = (s: TestStream) => ({
  streamId: s.streamId,
  streamType: s.streamType,
  ...(s.roomName !== undefined ? { roomName: s.roomName } : {}),
  external: false,
  crossPod: false,
});

/**
 * Text as a user would type it in a Symphony client → PresentationML + EntityJSON, the way the pod delivers it
 * (and the simulator produces it): `@username` of a known user becomes a mention entity, `#tag` a hashtag and
 * `$TICKER` a cashtag entity; clients number entities "0", "1"… and omit `version`. Everything else is escaped
 * text; line breaks become `<br/>`.
 */
export function toPresentationML(
  text: string,
  resolveUser: (name: string) => TestUser | undefined,
): { message: string; data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  let n = 0;
  const entity = (type: string, idType: string, value: string, sigil: '@' | '#' | '$', shown: string) => {
    const key = String(n++);
    data[key] = { id: [{ type: idType, value }], type };
    return `<span class="entity" data-entity-id="${key}">${sigil}${escapeMessageML(shown)}</span>`;
  };
  const renderLine = (line: string) => {
    let html = '';
    let last = 0;
    for (const m of line.matchAll(ENTITY_RE)) {
      const [whole, mentionName, hashtag, cashtag] = m;
      const index = m.index ?? 0;
      let span: string | undefined;
      let used = whole;
      if (mentionName !== undefined) {
        // `@bob,` or `@bob.`: trailing punctuation is not part of the name.
        const name = resolveUser(mentionName) ? mentionName : mentionName.replace(/[.]+$/, '');
        const user = resolveUser(name);
        if (user) {
          span = entity(
            'com.symphony.user.mention',
            'com.symphony.user.userId',
            String(user.userId),
            '@',
            user.displayName,
          );
          used = `@${name}`;
        }
      } else if (hashtag !== undefined) {
        span = entity('org.symphonyoss.taxonomy', 'org.symphonyoss.taxonomy.hashtag', hashtag, '#', hashtag);
      } else if (cashtag !== undefined) {
        span = entity(
          'org.symphonyoss.fin.security',
          'org.symphonyoss.fin.security.id.ticker',
          cashtag,
          '$',
          cashtag,
        );
      }
      if (span === undefined) continue;
      html += escapeMessageML(line.slice(last, index)) + span;
      last = index + used.length;
    }
    return html + escapeMessageML(line.slice(last));
  };
  const html = text.split(/\r?\n/).map(renderLine).join('<br/>');
  const message = `<div data-format="PresentationML" data-version="2.0" class="wysiwyg"><p>${html}</p></div>`;
  return { message, data };
}

let counter = 0;

/** Envelope + payload → a validated `BatonEvent` (throws if the test built something the model rejects). */
export function buildEvent(
  type: EventType,
  payload: Record<string, unknown>,
  initiator: TestUser,
  timestamp: number,
  messageId?: string,
): BatonEvent {
  const raw = {
    id: testId(`event:${++counter}:${timestamp}`).slice(0, 6),
    ...(messageId !== undefined ? { messageId } : {}),
    timestamp,
    type,
    initiator: { user: v4User(initiator) },
    payload: { [PAYLOAD_KEY_BY_TYPE[type]]: payload },
  };
  const parsed = parseEvent(raw);
  if (!parsed.ok) throw new Error(`test kit built an invalid ${type} event: ${parsed.reason}`);
  return parsed.event;
}

export function buildMessageSent(args: {
  text: string;
  from: TestUser;
  stream: TestStream;
  timestamp: number;
  resolveUser: (name: string) => TestUser | undefined;
  /** `V4AttachmentInfo` entries of the message (the test bot keeps their bytes in its fake client). */
  attachments?: { id: string; name: string; size: number }[];
}): BatonEvent {
  const { message, data } = toPresentationML(args.text, args.resolveUser);
  const messageId = testId(`msg:${++counter}`);
  const { streamId, streamType, ...stream } = v4Stream(args.stream);
  const v4Message = rawV4Message({
    messageId,
    timestamp: args.timestamp,
    presentationML: message,
    data: JSON.stringify(data),
    ...(args.attachments?.length ? { attachments: args.attachments.map((a) => ({ ...a, images: [] })) } : {}),
    from: { userId: args.from.userId, username: args.from.username, displayName: args.from.displayName },
    streamId,
    streamType,
    stream,
    userAgent: 'baton-testkit',
  });
  return buildEvent('MESSAGESENT', { message: v4Message }, args.from, args.timestamp, messageId);
}

export function buildElementsAction(args: {
  from: TestUser;
  stream: TestStream;
  formId: string;
  formMessageId: string;
  values: Record<string, unknown>;
  timestamp: number;
}): BatonEvent {
  const messageId = testId(`action:${++counter}`);
  return buildEvent(
    'SYMPHONYELEMENTSACTION',
    {
      stream: { streamId: args.stream.streamId, streamType: args.stream.streamType },
      formMessageId: args.formMessageId,
      formId: args.formId,
      formValues: args.values,
    },
    args.from,
    args.timestamp,
    messageId,
  );
}

export function buildUserJoinedRoom(args: {
  user: TestUser;
  stream: TestStream;
  by: TestUser;
  timestamp: number;
}): BatonEvent {
  return buildEvent(
    'USERJOINEDROOM',
    { stream: v4Stream(args.stream), affectedUser: v4User(args.user) },
    args.by,
    args.timestamp,
  );
}

export function buildImCreated(args: {
  user: TestUser;
  bot: TestUser;
  stream: TestStream;
  timestamp: number;
}): BatonEvent {
  return buildEvent(
    'INSTANTMESSAGECREATED',
    {
      stream: {
        ...v4Stream(args.stream),
        members: [{ userId: args.user.userId }, { userId: args.bot.userId }],
      },
    },
    args.user,
    args.timestamp,
  );
}

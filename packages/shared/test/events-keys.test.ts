import {
  type BatonEvent,
  canonicalJson,
  eventKey,
  initiatorUserId,
  orderingKeyOf,
  parseEvent,
  rawV4Message,
} from '@baton/shared';
import { describe, expect, it } from 'vitest';

const ROOM = 'bjHSiY4iz3ar4iIh6-VzCX___peoM7cPdA';
const IM = 'IEj12WoWsfTkiqOBkATdUn___pFXhN9OdA';
const POST = 'xhGxbTcvTDK6EIMMrwdOrX___quztr2HdA';

function parse(raw: unknown): BatonEvent {
  const parsed = parseEvent(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.event;
}

function event(type: string, payload: unknown, extra: Record<string, unknown> = {}) {
  return { id: 'ulPr8a:eFFDL7', timestamp: 1, type, initiator: { user: { userId: 111 } }, payload, ...extra };
}

const message = rawV4Message({
  messageId: 'msg1',
  timestamp: 1,
  streamId: IM,
  streamType: 'IM',
  from: { userId: 111, username: 'u111' },
  text: 'hi',
});

describe('orderingKeyOf', () => {
  it('uses the message stream for MESSAGESENT and SHAREDPOST', () => {
    expect(orderingKeyOf(parse(event('MESSAGESENT', { messageSent: { message } })))).toBe(IM);
    const shared = { ...message, stream: { streamId: POST, streamType: 'POST' } };
    const post = event('SHAREDPOST', { sharedPost: { message, sharedMessage: shared } });
    expect(orderingKeyOf(parse(post))).toBe(IM);
  });

  it('uses payload.*.stream.streamId, normalised', () => {
    const joined = event('USERJOINEDROOM', {
      userJoinedRoom: {
        stream: { streamId: 'bjHSiY4iz3ar4iIh6+VzCX///peoM7cPdA==' },
        affectedUser: { userId: 2 },
      },
    });
    expect(orderingKeyOf(parse(joined))).toBe(ROOM);
    const suppressed = event('MESSAGESUPPRESSED', {
      messageSuppressed: { messageId: 'm', stream: { streamId: ROOM } },
    });
    expect(orderingKeyOf(parse(suppressed))).toBe(ROOM);
  });

  it('uses user:<initiator> for connection events', () => {
    expect(
      orderingKeyOf(parse(event('CONNECTIONREQUESTED', { connectionRequested: { toUser: { userId: 5 } } }))),
    ).toBe('user:111');
    expect(
      orderingKeyOf(parse(event('CONNECTIONACCEPTED', { connectionAccepted: { fromUser: { userId: 5 } } }))),
    ).toBe('user:111');
  });
});

describe('initiatorUserId', () => {
  it('is the initiator user id', () => {
    expect(
      initiatorUserId(parse(event('ROOMREACTIVATED', { roomReactivated: { stream: { streamId: ROOM } } }))),
    ).toBe(111);
  });
});

describe('eventKey', () => {
  const joined = (userId: number) =>
    event('USERJOINEDROOM', { userJoinedRoom: { stream: { streamId: ROOM }, affectedUser: { userId } } });

  it('gives two distinct events sharing an id different keys', () => {
    const a = eventKey(parse(joined(1)));
    const b = eventKey(parse(joined(2)));
    expect(a).not.toBe(b);
    expect(a.startsWith('USERJOINEDROOM:ulPr8a:eFFDL7:-:')).toBe(true);
  });

  it('differs by type and by message id for the same id', () => {
    const sent = parse(event('MESSAGESENT', { messageSent: { message } }, { messageId: 'msg1' }));
    const other = parse(event('MESSAGESENT', { messageSent: { message } }, { messageId: 'msg2' }));
    expect(eventKey(sent)).not.toBe(eventKey(other));
    const left = parse(
      event('USERLEFTROOM', { userLeftRoom: { stream: { streamId: ROOM }, affectedUser: { userId: 1 } } }),
    );
    expect(eventKey(left)).not.toBe(eventKey(parse(joined(1))));
  });

  it('is the same for the same event serialised with different key order', () => {
    const a = `{"id":"x1","timestamp":5,"type":"USERJOINEDROOM","initiator":{"user":{"userId":9,"displayName":"D"}},"payload":{"userJoinedRoom":{"stream":{"streamId":"${ROOM}","streamType":"ROOM"},"affectedUser":{"userId":3,"username":"u"}}}}`;
    const b = `{"payload":{"userJoinedRoom":{"affectedUser":{"username":"u","userId":3},"stream":{"streamType":"ROOM","streamId":"${ROOM}"}}},"type":"USERJOINEDROOM","initiator":{"user":{"displayName":"D","userId":9}},"timestamp":5,"id":"x1"}`;
    expect(eventKey(parse(JSON.parse(a)))).toBe(eventKey(parse(JSON.parse(b))));
  });

  it('is the same whatever form the ids arrived in', () => {
    const urlSafe = joined(1);
    const standard = event('USERJOINEDROOM', {
      userJoinedRoom: {
        stream: { streamId: 'bjHSiY4iz3ar4iIh6+VzCX///peoM7cPdA==' },
        affectedUser: { userId: 1 },
      },
    });
    expect(eventKey(parse(standard))).toBe(eventKey(parse(urlSafe)));
  });

  it('changes with any payload detail', () => {
    const withValues = (comment: string) =>
      event('SYMPHONYELEMENTSACTION', {
        symphonyElementsAction: {
          stream: { streamId: IM },
          formMessageId: 'f',
          formId: 'form',
          formValues: { comment },
        },
      });
    expect(eventKey(parse(withValues('a')))).not.toBe(eventKey(parse(withValues('b'))));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"x":2,"z":1}]},"b":1}',
    );
  });
});

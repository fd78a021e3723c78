import { EVENT_TYPES, type EventType, PAYLOAD_KEY_BY_TYPE, parseEvent } from '@baton/shared';
import { describe, expect, it } from 'vitest';

const reed = {
  userId: 344147139494862,
  firstName: 'Reed',
  displayName: 'Reed Feldman (SUP)',
  username: 'reedUAT',
};
const alice = { userId: 7215545058313, displayName: 'Alice' };
const room = { streamId: 'bjHSiY4iz3ar4iIh6-VzCX___peoM7cPdA', streamType: 'ROOM', roomName: 'Desk' };
const im = { streamId: 'IEj12WoWsfTkiqOBkATdUn___pFXhN9OdA', streamType: 'IM' };

const message = {
  messageId: 'Fd4Pc8xO5Vg6hVfzabFe2X___oyM1eXobQ',
  timestamp: 1595365005847,
  message: '<div data-format="PresentationML" data-version="2.0" class="wysiwyg"><p>hi</p></div>',
  data: '{}',
  user: { userId: 344147139494862, displayName: 'Reed Feldman (SUP)', username: 'reedUAT' },
  stream: im,
  externalRecipients: false,
  userAgent: 'DESKTOP-43.0.0-...',
  originalFormat: 'com.symphony.messageml.v2',
  sid: '98202eac-dcf4-4b1e-a120-596db38319dc',
};

function envelope(type: string, payload: unknown) {
  return {
    id: '9rc1dr',
    messageId: message.messageId,
    timestamp: 1595365005847,
    type,
    initiator: { user: reed },
    payload,
  };
}

const PAYLOADS: Record<EventType, unknown> = {
  MESSAGESENT: { messageSent: { message } },
  MESSAGESUPPRESSED: {
    messageSuppressed: { messageId: message.messageId, stream: { streamId: im.streamId } },
  },
  SYMPHONYELEMENTSACTION: {
    symphonyElementsAction: {
      stream: { streamId: 'usnBKBkH_BVrGOiVpaupEH___okFfE7QdA', streamType: 'IM' },
      formMessageId: 'L87DKjjrGhjH3_WN8_rqYn___oNnJZ9AbQ',
      formId: 'form_id',
      formValues: { action: 'submit_button', name: 'John', country: 'opt1', comment: 'test' },
    },
  },
  SHAREDPOST: {
    sharedPost: {
      message,
      sharedMessage: {
        ...message,
        stream: { streamId: 'xhGxbTcvTDK6EIMMrwdOrX___quztr2HdA', streamType: 'POST' },
      },
    },
  },
  INSTANTMESSAGECREATED: {
    instantMessageCreated: { stream: { ...im, members: [{ userId: 1 }, { userId: 2 }], external: false } },
  },
  ROOMCREATED: {
    roomCreated: {
      stream: room,
      roomProperties: {
        name: 'Desk',
        creatorUser: reed,
        public: false,
        keywords: [{ key: 'k', value: 'v' }],
      },
    },
  },
  ROOMUPDATED: { roomUpdated: { stream: room, newRoomProperties: { description: 'new' } } },
  ROOMDEACTIVATED: { roomDeactivated: { stream: { streamId: room.streamId, streamType: 'ROOM' } } },
  ROOMREACTIVATED: { roomReactivated: { stream: room } },
  USERJOINEDROOM: { userJoinedRoom: { stream: room, affectedUser: alice } },
  USERLEFTROOM: { userLeftRoom: { stream: room, affectedUser: alice } },
  ROOMMEMBERPROMOTEDTOOWNER: { roomMemberPromotedToOwner: { stream: room, affectedUser: alice } },
  ROOMMEMBERDEMOTEDFROMOWNER: { roomMemberDemotedFromOwner: { stream: room, affectedUser: alice } },
  USERREQUESTEDTOJOINROOM: { userRequestedToJoinRoom: { stream: room, affectedUsers: [alice] } },
  CONNECTIONREQUESTED: { connectionRequested: { toUser: alice } },
  CONNECTIONACCEPTED: { connectionAccepted: { fromUser: alice } },
  GENERICSYSTEMEVENT: {
    genericSystemEvent: {
      stream: room,
      eventTimestamp: 1,
      sourceSystem: 'crm',
      eventSubtype: 'x',
      parameters: { a: { b: 1 } },
    },
  },
};

function reasonOf(raw: unknown): string {
  const parsed = parseEvent(raw);
  if (parsed.ok) throw new Error('expected an invalid event');
  expect(parsed.raw).toBe(raw);
  return parsed.reason;
}

/** One malformed payload per type (a required field missing or of the wrong type) and the path the reason names. */
const MALFORMED: Record<EventType, [payload: unknown, path: string]> = {
  MESSAGESENT: [{ messageSent: { message: { ...message, message: 42 } } }, 'message.message'],
  MESSAGESUPPRESSED: [{ messageSuppressed: { stream: { streamId: im.streamId } } }, 'messageId'],
  SYMPHONYELEMENTSACTION: [
    { symphonyElementsAction: { stream: im, formMessageId: 'L87D', formId: 'f', formValues: 'x' } },
    'formValues',
  ],
  SHAREDPOST: [{ sharedPost: { message } }, 'sharedMessage'],
  INSTANTMESSAGECREATED: [
    { instantMessageCreated: { stream: { ...im, members: [{ userId: 'one' }] } } },
    'stream.members[0].userId',
  ],
  ROOMCREATED: [{ roomCreated: { stream: room, roomProperties: { name: 7 } } }, 'roomProperties.name'],
  ROOMUPDATED: [{ roomUpdated: { stream: { streamType: 'ROOM' } } }, 'stream.streamId'],
  ROOMDEACTIVATED: [{ roomDeactivated: { stream: { streamId: '' } } }, 'stream.streamId'],
  ROOMREACTIVATED: [{ roomReactivated: {} }, 'stream'],
  USERJOINEDROOM: [{ userJoinedRoom: { stream: room } }, 'affectedUser'],
  USERLEFTROOM: [{ userLeftRoom: { stream: room, affectedUser: { userId: -1 } } }, 'affectedUser.userId'],
  ROOMMEMBERPROMOTEDTOOWNER: [
    { roomMemberPromotedToOwner: { stream: room, affectedUser: { userId: 1.5 } } },
    'affectedUser.userId',
  ],
  ROOMMEMBERDEMOTEDFROMOWNER: [
    { roomMemberDemotedFromOwner: { stream: 'room', affectedUser: alice } },
    'stream',
  ],
  USERREQUESTEDTOJOINROOM: [
    { userRequestedToJoinRoom: { stream: room, affectedUsers: [{ displayName: 'no id' }] } },
    'affectedUsers[0].userId',
  ],
  CONNECTIONREQUESTED: [{ connectionRequested: { toUser: { userId: '7215545058313' } } }, 'toUser.userId'],
  CONNECTIONACCEPTED: [{ connectionAccepted: {} }, 'fromUser'],
  GENERICSYSTEMEVENT: [
    { genericSystemEvent: { stream: room, parameters: ['not', 'a', 'map'] } },
    'parameters',
  ],
};

describe('parseEvent: valid samples', () => {
  it('knows exactly the 17 documented types', () => {
    expect(EVENT_TYPES).toHaveLength(17);
    expect(new Set(Object.keys(PAYLOADS))).toEqual(new Set(EVENT_TYPES));
  });

  it.each(EVENT_TYPES)('accepts a valid %s', (type) => {
    const parsed = parseEvent(envelope(type, PAYLOADS[type]));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.event.type).toBe(type);
  });

  it.each(EVENT_TYPES)('returns a malformed %s as an invalid event naming the bad field', (type) => {
    const [payload, path] = MALFORMED[type];
    expect(reasonOf(envelope(type, payload))).toContain(`payload.${PAYLOAD_KEY_BY_TYPE[type]}.${path}`);
  });

  it('accepts the documented MESSAGESENT and types the payload', () => {
    const parsed = parseEvent(envelope('MESSAGESENT', PAYLOADS.MESSAGESENT));
    if (!parsed.ok) throw new Error(parsed.reason);
    const event = parsed.event;
    if (event.type !== 'MESSAGESENT') throw new Error('narrowing');
    expect(event.payload.messageSent.message.message).toContain('<p>hi</p>');
    expect(event.payload.messageSent.message.stream.streamType).toBe('IM');
    expect(event.initiator.user.userId).toBe(344147139494862);
  });

  it('keeps unknown extra fields and treats null optionals as absent', () => {
    const raw = envelope('USERJOINEDROOM', {
      userJoinedRoom: { stream: { ...room, futureField: 1 }, affectedUser: { ...alice, email: null } },
    });
    const parsed = parseEvent({ ...raw, newEnvelopeField: 'x' });
    if (!parsed.ok || parsed.event.type !== 'USERJOINEDROOM') throw new Error('expected USERJOINEDROOM');
    expect(parsed.event['newEnvelopeField']).toBe('x');
    expect(parsed.event.payload.userJoinedRoom.stream['futureField']).toBe(1);
    expect(parsed.event.payload.userJoinedRoom.affectedUser.email).toBeUndefined();
  });

  it('normalises stream and message ids to URL-safe base64 without padding', () => {
    const raw = envelope('MESSAGESENT', {
      messageSent: {
        message: {
          ...message,
          messageId: 'Fd4Pc8xO5Vg6hVfzabFe2X///oyM1eXobQ==',
          stream: { streamId: 'IEj12WoWsfTkiqOBkATdUn///pFXhN9OdA==', streamType: 'IM' },
        },
      },
    });
    const parsed = parseEvent({ ...raw, messageId: 'Fd4Pc8xO5Vg6hVfzabFe2X+//oyM1eXobQ==' });
    if (!parsed.ok || parsed.event.type !== 'MESSAGESENT') throw new Error('expected MESSAGESENT');
    expect(parsed.event.messageId).toBe('Fd4Pc8xO5Vg6hVfzabFe2X-__oyM1eXobQ');
    expect(parsed.event.payload.messageSent.message.messageId).toBe('Fd4Pc8xO5Vg6hVfzabFe2X___oyM1eXobQ');
    expect(parsed.event.payload.messageSent.message.stream.streamId).toBe(
      'IEj12WoWsfTkiqOBkATdUn___pFXhN9OdA',
    );
  });

  it('normalises the legacy SYMPHONYELEMENTSACTION formStream to stream', () => {
    const parsed = parseEvent(
      envelope('SYMPHONYELEMENTSACTION', {
        symphonyElementsAction: {
          formStream: { streamId: 'YuK1c2y2yuie6+UfQnjSPX///pQEn69idA==' },
          actionStream: { streamId: 'other' },
          formMessageId: 'L87DKjjrGhjH3/WN8/rqYn///oNnJZ9AbQ==',
          formId: 'form_id',
          formValues: { action: 'go' },
        },
      }),
    );
    if (!parsed.ok || parsed.event.type !== 'SYMPHONYELEMENTSACTION')
      throw new Error('expected elements action');
    const action = parsed.event.payload.symphonyElementsAction;
    expect(action.stream.streamId).toBe('YuK1c2y2yuie6-UfQnjSPX___pQEn69idA');
    expect(action.formMessageId).toBe('L87DKjjrGhjH3_WN8_rqYn___oNnJZ9AbQ');
    expect(action.formValues['action']).toBe('go');
  });

  it('falls back to actionStream when only that legacy field is present', () => {
    const parsed = parseEvent(
      envelope('SYMPHONYELEMENTSACTION', {
        symphonyElementsAction: {
          actionStream: { streamId: 'usnBKBkH_BVrGOiVpaupEH___okFfE7QdA' },
          formMessageId: 'm',
          formId: 'f',
          formValues: {},
        },
      }),
    );
    if (!parsed.ok || parsed.event.type !== 'SYMPHONYELEMENTSACTION')
      throw new Error('expected elements action');
    expect(parsed.event.payload.symphonyElementsAction.stream.streamId).toBe(
      'usnBKBkH_BVrGOiVpaupEH___okFfE7QdA',
    );
  });

  it('accepts a message of 1.5 MB', () => {
    const big = `<div><p>${'x'.repeat(1_500_000)}</p></div>`;
    const parsed = parseEvent(
      envelope('MESSAGESENT', { messageSent: { message: { ...message, message: big } } }),
    );
    expect(parsed.ok).toBe(true);
  });
});

describe('parseEvent: invalid input gives a reason, never throws', () => {
  it('names the path of a wrong type', () => {
    const raw = envelope('MESSAGESENT', {
      messageSent: { message: { ...message, stream: { streamId: 42 } } },
    });
    expect(reasonOf(raw)).toContain('payload.messageSent.message.stream.streamId: expected string');
  });

  it('names a missing field', () => {
    const { user: _user, ...withoutUser } = message;
    const reason = reasonOf(envelope('MESSAGESENT', { messageSent: { message: withoutUser } }));
    expect(reason).toContain('payload.messageSent.message.user');
    expect(reason).toContain('expected object');
  });

  it('requires the initiator user id as a number', () => {
    const raw = {
      ...envelope('ROOMREACTIVATED', PAYLOADS.ROOMREACTIVATED),
      initiator: { user: { userId: '12' } },
    };
    expect(reasonOf(raw)).toContain('initiator.user.userId: expected number');
  });

  it('requires a numeric timestamp and an id', () => {
    const { id: _id, ...noId } = envelope('ROOMREACTIVATED', PAYLOADS.ROOMREACTIVATED);
    expect(reasonOf(noId)).toContain('id: expected string');
    const badTime = { ...envelope('ROOMREACTIVATED', PAYLOADS.ROOMREACTIVATED), timestamp: 'now' };
    expect(reasonOf(badTime)).toContain('timestamp: expected number');
  });

  it('rejects an unknown type, keeping type and id for logging', () => {
    const raw = envelope('MESSAGEEXPLODED', { messageExploded: {} });
    const parsed = parseEvent(raw);
    expect(parsed).toMatchObject({ ok: false, type: 'MESSAGEEXPLODED', id: '9rc1dr', raw });
    if (parsed.ok) throw new Error('unreachable');
    expect(parsed.reason).toContain('unknown event type "MESSAGEEXPLODED"');
  });

  it('rejects a missing or non-string type', () => {
    expect(reasonOf({ id: 'x', payload: {} })).toContain('type: expected string');
  });

  it('rejects a payload key that does not match the type', () => {
    const reason = reasonOf(envelope('MESSAGESENT', { userJoinedRoom: PAYLOADS.USERJOINEDROOM }));
    expect(reason).toContain('needs exactly one key "messageSent"');
    expect(reason).toContain('"userJoinedRoom"');
  });

  it('rejects a payload with two keys or none', () => {
    const two = { ...(PAYLOADS.ROOMREACTIVATED as object), roomDeactivated: { stream: room } };
    expect(reasonOf(envelope('ROOMREACTIVATED', two))).toContain('exactly one key');
    expect(reasonOf(envelope('ROOMREACTIVATED', {}))).toContain('found []');
    expect(reasonOf(envelope('ROOMREACTIVATED', 'nope'))).toContain('payload: expected an object');
  });

  it('rejects an elements action with no stream at all', () => {
    const raw = envelope('SYMPHONYELEMENTSACTION', {
      symphonyElementsAction: { formMessageId: 'm', formId: 'f', formValues: {} },
    });
    expect(reasonOf(raw)).toContain('payload.symphonyElementsAction.stream');
  });

  it('rejects non-objects, and never decodes JSON text a second time', () => {
    expect(reasonOf(null)).toContain('expected an object');
    expect(reasonOf([1, 2])).toContain('expected an object');
    expect(reasonOf(42)).toContain('expected an object');
    expect(reasonOf('{"id": ')).toContain('expected an object, got a string');
    // A string holding a whole valid event is refused too: the feed's JSON is decoded once, by the client.
    const text = JSON.stringify(envelope('MESSAGESENT', PAYLOADS.MESSAGESENT));
    expect(reasonOf(text)).toContain('never decoded from JSON text twice');
  });

  it('rejects absurdly nested input without overflowing the stack', () => {
    const depth = 200_000;
    const text = `{"type":"MESSAGESENT","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(reasonOf(JSON.parse(text))).toContain('nested deeper than');
    let nested: unknown = {};
    for (let i = 0; i < depth; i += 1) nested = { n: nested };
    expect(reasonOf({ ...envelope('ROOMREACTIVATED', PAYLOADS.ROOMREACTIVATED), nested })).toContain(
      'nested deeper',
    );
  });

  it('rejects cyclic objects', () => {
    const cyclic: Record<string, unknown> = envelope('ROOMREACTIVATED', PAYLOADS.ROOMREACTIVATED);
    cyclic['self'] = cyclic;
    expect(reasonOf(cyclic)).toContain('event:');
  });

  it('rejects oversized input', () => {
    const huge = 'x'.repeat(9 * 1024 * 1024);
    expect(
      reasonOf(envelope('MESSAGESENT', { messageSent: { message: { ...message, message: huge } } })),
    ).toContain('larger than');
    expect(reasonOf({ pad: huge })).toContain('larger than');
  });

  it('lists several issues in one reason', () => {
    const raw = envelope('USERJOINEDROOM', { userJoinedRoom: { stream: {}, affectedUser: { userId: 1.5 } } });
    const reason = reasonOf(raw);
    expect(reason).toContain('payload.userJoinedRoom.stream.streamId');
    expect(reason).toContain('payload.userJoinedRoom.affectedUser.userId');
  });
});

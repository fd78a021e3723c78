import { checkSymphonyId, parseEvent, rawMessageSent } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { SAMPLE_IM as IM, SAMPLE_IM_EVENT } from './support/sample-im-event.ts';

// The rules of docs/event-model.md, one by one: each either refuses with a reason or normalises as documented.
const IM_STANDARD = 'IEj12WoWsfTkiqOBkATdUn///pFXhN9OdA==';
const ROOT = '<div data-format="PresentationML" data-version="2.0">';

function reasonOf(raw: unknown): string {
  const parsed = parseEvent(raw);
  if (parsed.ok) throw new Error('expected an invalid event');
  return parsed.reason;
}

function accepted(raw: unknown) {
  const parsed = parseEvent(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  if (parsed.event.type !== 'MESSAGESENT') throw new Error('expected MESSAGESENT');
  return parsed.event.payload.messageSent.message;
}

const messageSent = (message: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) =>
  rawMessageSent({ ...SAMPLE_IM_EVENT, message, envelope });
const withStream = (streamId: unknown) => messageSent({ stream: { streamId, streamType: 'IM' } });

describe('stream ids', () => {
  it('accepts the API form as is and the UI form (standard base64, padded) converted to it', () => {
    expect(accepted(withStream(IM)).stream.streamId).toBe(IM);
    expect(accepted(withStream(IM_STANDARD)).stream.streamId).toBe(IM);
    expect(checkSymphonyId('YuK1c2y2yuie6+UfQnjSPX///pQEn69idA==')).toEqual({
      ok: true,
      id: 'YuK1c2y2yuie6-UfQnjSPX___pQEn69idA',
    });
  });

  it.each([
    ['characters outside base64', 'IEj12WoWsfTkiqOBkATdUn___pFXhN9Od!', 'characters outside base64'],
    ['a space', 'IEj12WoWsfTkiqOBkATdUn___pFXhN9 dA', 'characters outside base64'],
    ['both alphabets', 'IEj12WoWsfTkiqOBkATdUn_//pFXhN9OdA', 'mixes the URL-safe'],
    ['padding on the URL-safe form', `${IM}==`, 'padding on a URL-safe id'],
    [
      'the standard form without its padding',
      'IEj12WoWsfTkiqOBkATdUn///pFXhN9OdA',
      'without its "==" padding',
    ],
    [
      'one "=" only',
      'IEj12WoWsfTkiqOBkATdUn///pFXhN9OdA=',
      'standard base64 must be 34 characters then "=="',
    ],
    [
      'padding that would normalise into another stream',
      'IEj12WoWsfTkiqOBkATdUn+//pFXhN9O==',
      'found 34 in all',
    ],
    ['too short', 'S1', '2 characters, expected 34'],
    ['too long', `${IM}AAAA`, '38 characters, expected 34'],
    ['a non-canonical last character', 'IEj12WoWsfTkiqOBkATdUn___pFXhN9OdB', 'not the canonical encoding'],
    ['empty', '', '0 characters'],
  ])('refuses %s', (_name, streamId, reason) => {
    const why = reasonOf(withStream(streamId));
    expect(why).toContain('payload.messageSent.message.stream.streamId: not a Symphony id');
    expect(why).toContain(reason);
  });

  it('checks the stream of every event type, the legacy elements-action streams included', () => {
    const joined = {
      ...messageSent(),
      type: 'USERJOINEDROOM',
      payload: { userJoinedRoom: { stream: { streamId: 'room-1' }, affectedUser: { userId: 1 } } },
    };
    expect(reasonOf(joined)).toContain('payload.userJoinedRoom.stream.streamId: not a Symphony id');
    const action = {
      ...messageSent(),
      type: 'SYMPHONYELEMENTSACTION',
      payload: {
        symphonyElementsAction: {
          formStream: { streamId: 'abc' },
          formMessageId: 'm',
          formId: 'f',
          formValues: {},
        },
      },
    };
    expect(reasonOf(action)).toContain('stream.streamId: not a Symphony id');
  });
});

describe('envelope', () => {
  it('refuses an event given as JSON text: an object only', () => {
    expect(reasonOf(JSON.stringify(messageSent()))).toContain('expected an object, got a string');
  });

  it('refuses a MESSAGESENT whose initiator is not the message sender', () => {
    const forged = messageSent({ user: { userId: 7 } });
    expect(reasonOf(forged)).toBe(
      "initiator.user.userId: 344147139494862 is not the message's sender payload.messageSent.message.user.userId 7",
    );
  });

  it.each([
    ['negative', -1, 'too small'],
    ['fractional', 1.5, 'expected int'],
    ['beyond the safe integers', 2 ** 60, 'too big'],
  ])('refuses a %s timestamp, on the envelope and on the message', (_name, timestamp, reason) => {
    expect(reasonOf(messageSent({}, { timestamp }))).toMatch(new RegExp(`^timestamp: .*${reason}`, 'i'));
    expect(reasonOf(messageSent({ timestamp }))).toMatch(
      new RegExp(`payload.messageSent.message.timestamp: .*${reason}`, 'i'),
    );
  });
});

describe('message content', () => {
  it.each([
    ['a stray </div> letting text escape', `${ROOT}<p>hi</p></div></div>escaped`, 'a closing tag </div>'],
    ['a stray </messageML>', `${ROOT}<p>hi</p></messageML></div>`, '</messageML> closes <div>'],
    ['crossed tags', `${ROOT}<b><i>x</b></i></div>`, '</b> closes <i>'],
    ['an unclosed element', `${ROOT}<p>hi</div>`, '</div> closes <p>'],
    ['an unclosed root', `${ROOT}<p>hi</p>`, '<div> is never closed'],
    ['text after the root', `${ROOT}<p>hi</p></div> trailing`, 'text outside the message element'],
    ['text before the root', `lead ${ROOT}<p>hi</p></div>`, 'text outside the message element'],
    ['a second root', `${ROOT}a</div><div>b</div>`, 'a second root element'],
    ['a declaration', `<!DOCTYPE x [<!ENTITY e "x">]>${ROOT}&e;</div>`, 'declaration'],
    ['plain text', 'hello', 'text outside the message element'],
  ])('refuses PresentationML with %s', (_name, pml, reason) => {
    const why = reasonOf(messageSent({ message: pml }));
    expect(why).toContain('payload.messageSent.message.message: not well-formed PresentationML');
    expect(why).toContain(reason);
  });

  it('refuses an empty message', () => {
    expect(reasonOf(messageSent({ message: '' }))).toContain('payload.messageSent.message.message: empty');
    expect(reasonOf(messageSent({ message: ' \n' }))).toContain('empty');
  });

  it('accepts a message element with no text (an attachment-only message) and self-closed elements', () => {
    expect(accepted(messageSent({ message: `${ROOT} </div>` })).message).toBe(`${ROOT} </div>`);
    expect(accepted(messageSent({ message: `${ROOT}a<br/>b</div>` })).message).toBe(`${ROOT}a<br/>b</div>`);
  });

  it('strips C0 control characters (NUL, BEL, ESC…) from PresentationML, keeping TAB, LF and CR', () => {
    const pml = `${ROOT}<p>a\u0000b\u0007c\u001bd\te\nf\rg\u007fh</p></div>`;
    expect(accepted(messageSent({ message: pml })).message).toBe(`${ROOT}<p>abcd\te\nf\rg\u007fh</p></div>`);
  });

  const mention = (value: unknown) =>
    JSON.stringify({
      m1: { type: 'com.symphony.user.mention', id: [{ type: 'com.symphony.user.userId', value }] },
    });
  const withMention = `${ROOT}<p><span class="entity" data-entity-id="m1">@Bot</span> /echo x</p></div>`;

  it('accepts mentions whose user id is a number or its digits', () => {
    expect(
      accepted(messageSent({ message: withMention, data: mention('13056700580915') })).data,
    ).toBeDefined();
    expect(accepted(messageSent({ message: withMention, data: mention(13056700580915) })).data).toBeDefined();
  });

  it.each([
    ['invalid JSON', '{"m1": {"type": ', 'EntityJSON is not valid JSON'],
    ['a JSON array', '[1, "two"]', 'EntityJSON is not a JSON object'],
    [
      'a mention id that is not a number',
      mention('alice'),
      'a mention whose user id "alice" is not a user id',
    ],
    ['a fractional mention id', mention(1.5), 'a mention whose user id 1.5 is not a user id'],
    ['a mention with no id', JSON.stringify({ m1: { type: 'com.symphony.user.mention' } }), 'user id null'],
    ['no entry for an entity the markup names', '{}', 'no entry for the entity "m1"'],
  ])('refuses EntityJSON with %s (a mention would be lost)', (_name, data, reason) => {
    const why = reasonOf(messageSent({ message: withMention, data }));
    expect(why).toContain('payload.messageSent.message.data: ');
    expect(why).toContain(reason);
  });

  it('accepts an empty or absent data when the markup names no entity', () => {
    expect(accepted(messageSent({ data: '' })).data).toBe('');
    expect(accepted(messageSent({ data: undefined })).data).toBeUndefined();
  });
});

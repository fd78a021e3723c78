import { type BatonEvent, parseEvent } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { createBot } from '../src/index.ts';
import { isAddressed, messageAddressesBot } from '../src/is-addressed.ts';

const BOT = 1001;
const ALICE = 2002;
const botUser = { userId: BOT, displayName: 'Bot', username: 'bot' };
/** A Symphony stream id (25 bytes, URL-safe): the event model refuses anything else. */
const STREAM = 'IEj12WoWsfTkiqOBkATdUn___pFXhN9OdA';

type MessageSent = Extract<BatonEvent, { type: 'MESSAGESENT' }>;

const wrap = (inner: string) =>
  `<div data-format="PresentationML" data-version="2.0" class="wysiwyg"><p>${inner}</p></div>`;
const span = (id: string, text: string) => `<span class="entity" data-entity-id="${id}">${text}</span>`;
const mentionData = (userId: number) =>
  JSON.stringify({
    mention1: {
      type: 'com.symphony.user.mention',
      id: [{ type: 'com.symphony.user.userId', value: userId }],
    },
  });

function parsed(raw: unknown): BatonEvent {
  const result = parseEvent(raw);
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

/** A MESSAGESENT in a stream of `streamType`; `mentions` puts a mention of that user in the text (and its data). */
function sent(
  streamType: string,
  opts: { mentions?: number; senderId?: number; markup?: string; data?: string } = {},
): MessageSent {
  const senderId = opts.senderId ?? ALICE;
  const markup = opts.markup ?? (opts.mentions === undefined ? 'hi' : `${span('mention1', '@Someone')} hi`);
  const data = opts.data ?? (opts.mentions === undefined ? '{}' : mentionData(opts.mentions));
  const event = parsed({
    id: 'e1',
    timestamp: 1,
    type: 'MESSAGESENT',
    initiator: { user: { userId: senderId } },
    payload: {
      messageSent: {
        message: {
          messageId: 'm1',
          timestamp: 1,
          message: wrap(markup),
          data,
          user: { userId: senderId },
          stream: { streamId: STREAM, streamType },
        },
      },
    },
  });
  if (event.type !== 'MESSAGESENT') throw new Error('not a MESSAGESENT');
  return event;
}

describe('messageAddressesBot', () => {
  it('is true when the bot is mentioned, in any stream', () => {
    for (const streamType of ['ROOM', 'IM', 'MIM', 'POST']) {
      expect(messageAddressesBot(sent(streamType, { mentions: BOT }), BOT, true), streamType).toBe(true);
      expect(messageAddressesBot(sent(streamType, { mentions: BOT }), BOT, false), streamType).toBe(true);
    }
  });

  it('is true in an IM without a mention unless a mention is required', () => {
    expect(messageAddressesBot(sent('IM'), BOT, false)).toBe(true);
    expect(messageAddressesBot(sent('IM'), BOT, true)).toBe(false);
  });

  it('is false in a room or a MIM without a bot mention', () => {
    expect(messageAddressesBot(sent('ROOM', { mentions: ALICE }), BOT, false)).toBe(false);
    expect(messageAddressesBot(sent('ROOM'), BOT, false)).toBe(false);
    expect(messageAddressesBot(sent('MIM'), BOT, false)).toBe(false);
    expect(messageAddressesBot(sent('MIM', { mentions: ALICE }), BOT, false)).toBe(false);
  });

  it('reads the stream type case-insensitively; a missing or unknown type is no IM', () => {
    expect(messageAddressesBot(sent('im'), BOT, false)).toBe(true);
    expect(messageAddressesBot(sent('Im'), BOT, false)).toBe(true);
    expect(messageAddressesBot(sent('im'), BOT, true)).toBe(false);
    expect(messageAddressesBot(sent('room'), BOT, false)).toBe(false);
    expect(messageAddressesBot(sent('IMX'), BOT, false)).toBe(false);
    expect(isAddressed(false, undefined, false)).toBe(false);
    expect(isAddressed(true, undefined, true)).toBe(true);
  });

  it('counts a mention only when it is in the text, not an entity the data alone carries', () => {
    const dataOnly = sent('ROOM', { markup: 'hi', data: mentionData(BOT) });
    expect(messageAddressesBot(dataOnly, BOT, false)).toBe(false);
  });
});

describe('the framework never treats its own messages or other events as addressed to it', () => {
  const bot = createBot();

  it('failureReply stays silent for the bot’s own message, even one that mentions it in an IM', () => {
    expect(bot.failureReply(sent('IM', { mentions: BOT }), botUser)).toMatch(/^Sorry/);
    expect(bot.failureReply(sent('IM', { mentions: BOT, senderId: BOT }), botUser)).toBeUndefined();
    expect(bot.failureReply(sent('IM', { senderId: BOT }), botUser)).toBeUndefined();
  });

  it('failureReply stays silent for events that are no message', () => {
    const joined = parsed({
      id: 'e2',
      timestamp: 1,
      type: 'USERJOINEDROOM',
      initiator: { user: { userId: ALICE } },
      payload: { userJoinedRoom: { stream: { streamId: STREAM }, affectedUser: { userId: BOT } } },
    });
    expect(bot.failureReply(joined, botUser)).toBeUndefined();
  });
});

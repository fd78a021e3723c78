import { parseCommandInput, type Token, tokenizeMessage } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { cashtagEntity, EMOJI_ENTITY, hashtagEntity, mentionEntity } from './support/entity-json.ts';

const BOT = 1001;
const ALICE = 2002;

const wrap = (inner: string) =>
  `<div data-format="PresentationML" data-version="2.0" class="wysiwyg"><p>${inner}</p></div>`;
const span = (id: string, text: string) => `<span class="entity" data-entity-id="${id}">${text}</span>`;
const data = JSON.stringify({
  mention1: mentionEntity(String(BOT)),
  mention2: mentionEntity(ALICE),
  keyword1: hashtagEntity('fx'),
  keyword2: cashtagEntity('AAPL'),
  emoji1: EMOJI_ENTITY,
});

describe('tokenizeMessage', () => {
  it('tokenizes @Bot /room create "Q3 desk" @alice', () => {
    const pml = wrap(
      `${span('mention1', '@Bot')} /room create "Q3 desk" ${span('mention2', '@Alice Smith')}`,
    );
    expect(tokenizeMessage(pml, data)).toEqual<Token[]>([
      { kind: 'mention', userId: BOT, text: '@Bot' },
      { kind: 'word', text: '/room' },
      { kind: 'word', text: 'create' },
      { kind: 'quoted', text: 'Q3 desk' },
      { kind: 'mention', userId: ALICE, text: '@Alice Smith' },
    ]);
  });

  it('makes hashtag and cashtag tokens without their markers', () => {
    const pml = wrap(`price ${span('keyword2', '$AAPL')} in ${span('keyword1', '#fx')}`);
    expect(tokenizeMessage(pml, data)).toEqual<Token[]>([
      { kind: 'word', text: 'price' },
      { kind: 'cashtag', value: 'AAPL' },
      { kind: 'word', text: 'in' },
      { kind: 'hashtag', value: 'fx' },
    ]);
  });

  it('reads client-style ids "0", "1" without version, numeric or string values', () => {
    const clientData = JSON.stringify({
      '0': mentionEntity(String(BOT), false),
      '1': mentionEntity(ALICE, false),
    });
    const pml = wrap(`${span('0', '@Bot')} /ping ${span('1', '@Alice')}`);
    expect(tokenizeMessage(pml, clientData)).toEqual<Token[]>([
      { kind: 'mention', userId: BOT, text: '@Bot' },
      { kind: 'word', text: '/ping' },
      { kind: 'mention', userId: ALICE, text: '@Alice' },
    ]);
  });

  it('treats unknown entities, entity-less spans and spans missing from data as text', () => {
    const pml = wrap(`${span('emoji1', '😀')} ${span('missing', '@Ghost')} <span class="other">x</span>`);
    expect(tokenizeMessage(pml, data)).toEqual<Token[]>([
      { kind: 'word', text: '😀' },
      { kind: 'word', text: '@Ghost' },
      { kind: 'word', text: 'x' },
    ]);
  });

  it('takes the whole text of a span with nested markup as one entity', () => {
    const pml = wrap(`<span class="entity" data-entity-id="mention2">@<b>Alice</b> <i>Smith</i></span>x`);
    expect(tokenizeMessage(pml, data)).toEqual<Token[]>([
      { kind: 'mention', userId: ALICE, text: '@Alice Smith' },
      { kind: 'word', text: 'x' },
    ]);
  });

  it('splits words across blocks and line breaks, joins across inline markup', () => {
    const pml = '<div><p>one</p><p>two<br/>three</p>fo<b>ur</b></div>';
    expect(tokenizeMessage(pml, '{}').map((t) => (t.kind === 'word' ? t.text : t.kind))).toEqual([
      'one',
      'two',
      'three',
      'four',
    ]);
  });

  it.each<[string, Token[]]>([
    [
      '"a b"c',
      [
        { kind: 'quoted', text: 'a b' },
        { kind: 'word', text: 'c' },
      ],
    ],
    ['""', [{ kind: 'quoted', text: '' }]],
    [
      '"unterminated quote',
      [
        { kind: 'word', text: '"unterminated' },
        { kind: 'word', text: 'quote' },
      ],
    ],
    [
      'don"t stop',
      [
        { kind: 'word', text: 'don"t' },
        { kind: 'word', text: 'stop' },
      ],
    ],
    ['\u201csmart quotes\u201d', [{ kind: 'quoted', text: 'smart quotes' }]],
    ['&quot;escaped&#160;quote&quot;', [{ kind: 'quoted', text: 'escaped\u00a0quote' }]],
    [
      'a&nbsp;b',
      [
        { kind: 'word', text: 'a' },
        { kind: 'word', text: 'b' },
      ],
    ],
  ])('quoting: %s', (inner, expected) => {
    expect(tokenizeMessage(wrap(inner), undefined)).toEqual(expected);
  });

  it('tokenizes a 1.5 MB message', () => {
    const pml = `<div><p>${'word "quoted text" <b>x</b> '.repeat(55_000)}</p></div>`;
    expect(pml.length).toBeGreaterThan(1_500_000);
    const tokens = tokenizeMessage(pml, '{}');
    expect(tokens).toHaveLength(165_000);
    expect(tokens.slice(0, 3)).toEqual<Token[]>([
      { kind: 'word', text: 'word' },
      { kind: 'quoted', text: 'quoted text' },
      { kind: 'word', text: 'x' },
    ]);
  });

  it('refuses a DOCTYPE like presentationMlToText', () => {
    expect(() => tokenizeMessage('<!DOCTYPE x><p>a</p>', '{}')).toThrow(
      expect.objectContaining({ code: 'INVALID_MARKUP' }),
    );
  });

  it('tolerates invalid EntityJSON by treating entities as text', () => {
    expect(tokenizeMessage(wrap(`${span('mention1', '@Bot')} /x`), '{oops')).toEqual<Token[]>([
      { kind: 'word', text: '@Bot' },
      { kind: 'word', text: '/x' },
    ]);
  });
});

describe('parseCommandInput', () => {
  const tokens = (inner: string) => tokenizeMessage(wrap(inner), data);

  it('finds the slash command after the bot mention', () => {
    const input = parseCommandInput(
      tokens(`${span('mention1', '@Bot')} /room create "Q3 desk" ${span('mention2', '@Alice')}`),
      BOT,
    );
    expect(input).toEqual({
      mentionsBot: true,
      command: {
        slash: 'room',
        args: [
          { kind: 'word', text: 'create' },
          { kind: 'quoted', text: 'Q3 desk' },
          { kind: 'mention', userId: ALICE, text: '@Alice' },
        ],
      },
    });
  });

  it('accepts a command without a mention (e.g. in an IM) and several leading mentions', () => {
    expect(parseCommandInput(tokens('/help'), BOT)).toEqual({
      mentionsBot: false,
      command: { slash: 'help', args: [] },
    });
    const both = parseCommandInput(
      tokens(`${span('mention2', '@Alice')} ${span('mention1', '@Bot')} /help`),
      BOT,
    );
    expect(both).toEqual({ mentionsBot: true, command: { slash: 'help', args: [] } });
  });

  it('has no command when the first non-mention token is not a slash word', () => {
    expect(parseCommandInput(tokens(`${span('mention1', '@Bot')} hello /room`), BOT)).toEqual({
      mentionsBot: true,
    });
    expect(parseCommandInput(tokens(`${span('mention1', '@Bot')} "/room"`), BOT)).toEqual({
      mentionsBot: true,
    });
    expect(parseCommandInput(tokens(`${span('mention1', '@Bot')} /`), BOT)).toEqual({ mentionsBot: true });
    expect(parseCommandInput(tokens(`${span('mention1', '@Bot')}`), BOT)).toEqual({ mentionsBot: true });
    expect(parseCommandInput([], BOT)).toEqual({ mentionsBot: false });
  });

  it('reports a bot mention after the command too', () => {
    const input = parseCommandInput(tokens(`/ping ${span('mention1', '@Bot')}`), BOT);
    expect(input.mentionsBot).toBe(true);
    expect(input.command?.args).toEqual([{ kind: 'mention', userId: BOT, text: '@Bot' }]);
  });
});

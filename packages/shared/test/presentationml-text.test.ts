import { InvalidMarkupError, MAX_MARKUP_DEPTH, parseEntities, presentationMlToText } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { cashtagEntity, EMOJI_ENTITY, hashtagEntity, mentionEntity } from './support/entity-json.ts';

const wrap = (inner: string) =>
  `<div data-format="PresentationML" data-version="2.0" class="wysiwyg">${inner}</div>`;

describe('presentationMlToText', () => {
  it.each([
    ['<p>hi</p>', 'hi'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeMarker syntax is the input under test
    ['<p>a &amp; b &lt;c&gt; &#36;{x} &quot;q&quot; &apos;s&apos;</p>', 'a & b <c> ${x} "q" \'s\''],
    ['<p>&#x41;&#66;&nbsp;&eacute;</p>', 'AB é'],
    ['<p>double &amp;lt; stays</p>', 'double &lt; stays'],
    ['<p>hello <b>bold <i>and</i></b> world</p>', 'hello bold and world'],
    ['<p>a<b>b</b>c</p>', 'abc'],
    ['<p>one</p><p>two</p>', 'one\ntwo'],
    ['a<br/>b', 'a\nb'],
    ['<ul><li>x</li><li>y</li></ul>', 'x\ny'],
    ['<p>  lots   of\n\t space  </p>', 'lots of space'],
    ['   ', ''],
    ['<span class="entity" data-entity-id="mention1">@Bot User01</span> /hello', '@Bot User01 /hello'],
    ['<p>x<![CDATA[<b>&amp;</b>]]>y</p>', 'x<b>&amp;</b>y'],
    ['<!-- comment --><p>t</p>', 't'],
    ['ttt<p>ddd</p> edc', 'ttt\nddd\nedc'],
  ])('%s → %j', (inner, expected) => {
    expect(presentationMlToText(wrap(inner))).toBe(expected);
  });

  it('refuses a DOCTYPE with a coded error', () => {
    const evil = '<!DOCTYPE x [<!ENTITY e "boom">]><div>&e;</div>';
    expect(() => presentationMlToText(evil)).toThrow(InvalidMarkupError);
    try {
      presentationMlToText(evil);
    } catch (error) {
      expect((error as InvalidMarkupError).code).toBe('INVALID_MARKUP');
    }
  });

  it('reads realistic nesting and refuses absurd nesting with a coded error, quickly', () => {
    const ok = MAX_MARKUP_DEPTH - 1;
    expect(presentationMlToText(`${'<span>'.repeat(ok)}deep${'</span>'.repeat(ok)}`)).toBe('deep');
    for (const pml of [
      `${'<span>'.repeat(500_000)}deep${'</span>'.repeat(500_000)}`,
      `${'<b>'.repeat(500_000)}unclosed`,
    ]) {
      expect(() => presentationMlToText(pml)).toThrow(
        expect.objectContaining({ code: 'INVALID_MARKUP', reason: 'too-deep' }),
      );
    }
  });

  it('refuses an ENTITY declaration too', () => {
    expect(() => presentationMlToText('<!ENTITY x "y"><p>t</p>')).toThrow(
      expect.objectContaining({ code: 'INVALID_MARKUP', reason: 'declaration' }),
    );
  });

  it('handles a 1.5 MB message', () => {
    const words = 'word '.repeat(300_000);
    expect(presentationMlToText(wrap(`<p>${words}</p>`))).toHaveLength(words.length - 1);
  });

  it('tolerates malformed markup', () => {
    expect(presentationMlToText('<p>a <b>b</p> c')).toBe('a b\nc');
    expect(presentationMlToText('a < b')).toContain('a');
  });
});

describe('parseEntities', () => {
  const converterStyle = JSON.stringify({
    mention1: mentionEntity('1'),
    keyword1: hashtagEntity('world'),
    keyword2: cashtagEntity('AAPL'),
    emoji1: EMOJI_ENTITY,
  });

  it('reads mentions, hashtags and cashtags with lookups by entity id', () => {
    const entities = parseEntities(converterStyle);
    expect(entities.valid).toBe(true);
    expect(entities.mentions).toEqual([1]);
    expect(entities.hashtags).toEqual(['world']);
    expect(entities.cashtags).toEqual(['AAPL']);
    expect(entities.byId.get('mention1')).toEqual({ kind: 'mention', userId: 1 });
    expect(entities.byId.get('keyword2')).toEqual({ kind: 'cashtag', value: 'AAPL' });
    expect(entities.byId.get('emoji1')).toEqual({ kind: 'other', type: 'com.symphony.emoji' });
    expect(entities.byId.get('nope')).toBeUndefined();
  });

  it('accepts client-style ids without version, and user ids as numbers or strings', () => {
    const data = JSON.stringify({
      '0': mentionEntity('13056700580915', false),
      '1': mentionEntity(344147139494862, false),
      '2': mentionEntity(13056700580915, false),
    });
    const entities = parseEntities(data);
    expect(entities.mentions).toEqual([13056700580915, 344147139494862]);
    expect(entities.byId.get('1')).toEqual({ kind: 'mention', userId: 344147139494862 });
  });

  it('skips mentions whose id is not a usable integer', () => {
    const data = JSON.stringify({
      a: { type: 'com.symphony.user.mention', id: [{ value: 'abc' }] },
      b: { type: 'com.symphony.user.mention', id: [{ value: 1.5 }] },
      c: { type: 'com.symphony.user.mention' },
      d: { type: 'com.symphony.user.mention', id: [{ value: '99999999999999999999' }] },
    });
    const entities = parseEntities(data);
    expect(entities.valid).toBe(true);
    expect(entities.mentions).toEqual([]);
    expect(entities.byId.get('a')?.kind).toBe('other');
  });

  it('treats missing or empty data as valid and empty', () => {
    for (const data of [undefined, '', '  ']) {
      expect(parseEntities(data)).toMatchObject({ valid: true, mentions: [], hashtags: [], cashtags: [] });
    }
    expect(parseEntities('{}').valid).toBe(true);
  });

  it('flags invalid JSON without throwing', () => {
    for (const data of ['{not json', '[1,2]', '"str"', 'null', '42']) {
      expect(parseEntities(data)).toMatchObject({ valid: false, mentions: [] });
    }
  });

  it('survives deeply nested JSON', () => {
    const depth = 200_000;
    const data = `{"x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(parseEntities(data)).toMatchObject({ valid: true, mentions: [] });
  });
});

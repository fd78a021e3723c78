import { bold, escapeMessageML, messageML, table, toMessage } from '@baton/shared';
import fc from 'fast-check';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';

/** Strings heavy in the characters and sequences that could break MessageML or reach FreeMarker. */
const hostile = fc
  .array(
    fc.constantFrom(
      '<',
      '>',
      '&',
      '"',
      "'",
      '$',
      '#',
      '{',
      '}',
      '[',
      ']',
      '=',
      '@',
      '/',
      '<#',
      '${',
      '#{',
      ']]>',
      '<![CDATA[',
      '</messageML>',
      '<p>',
      '&amp;',
      '&#36;',
      '&lt;',
      '<!DOCTYPE x>',
      '<?xml?>',
      '<!--',
      ' ',
      '\n',
      '\r',
      '\t',
      'a',
      'é',
      '😀',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const anyString = fc.oneof(
  hostile,
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
);

const FREEMARKER = /\$\{|#\{|<#|<\/#|\[#|\[\/#|\[@|\[=/;

type Element = NonNullable<ReturnType<typeof DomUtils.findOne>>;

function onlyChild(children: ReturnType<typeof parseDocument>['children']): Element {
  expect(children).toHaveLength(1);
  const child = children[0];
  if (child?.type !== 'tag') throw new Error('expected one element');
  return child as Element;
}

describe('MessageML escaping (property)', () => {
  it('any string in <p> parses back to exactly that text, with no FreeMarker syntax', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const message = toMessage(messageML`<p>${s}</p>`);
        const root = onlyChild(parseDocument(message, { xmlMode: true }).children);
        expect(root.name).toBe('messageML');
        const p = onlyChild(root.children);
        expect(p.name).toBe('p');
        expect(p.children.every((node) => node.type === 'text')).toBe(true);
        expect(DomUtils.textContent(p)).toBe(s);
        expect(message).not.toMatch(FREEMARKER);
      }),
      { numRuns: 2000 },
    );
  });

  it('values next to $, #, [ or { in the literal markup never complete FreeMarker syntax', () => {
    const literal = fc.constantFrom('<p>', '<p>$', '<p>#', '<p>[', '<p>x');
    const after = fc.constantFrom('</p>', '{</p>', '#</p>', '$</p>');
    fc.assert(
      fc.property(literal, anyString, after, anyString, (before, s, rest, t) => {
        // Only what the values add is checked: the markup alone may be unsafe (the author's responsibility).
        fc.pre(!FREEMARKER.test(before + rest));
        const strings = Object.assign([before, '', rest], { raw: [before, '', rest] });
        const markup = messageML(strings, s, t).markup;
        expect(markup).not.toMatch(FREEMARKER);
      }),
      { numRuns: 2000 },
    );
  });

  it('helpers keep arbitrary text as text', () => {
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        const message = toMessage(messageML`<p>${bold(a)}</p>${table([a], [[b]])}`);
        const root = onlyChild(parseDocument(message, { xmlMode: true }).children);
        const names = DomUtils.findAll(() => true, root.children).map((element) => element.name);
        expect(names).toEqual(['p', 'b', 'table', 'thead', 'tr', 'th', 'tbody', 'tr', 'td']);
        const [boldElement, th, td] = ['b', 'th', 'td'].map((name) =>
          DomUtils.findOne((element) => element.name === name, root.children),
        );
        expect(DomUtils.textContent(boldElement!)).toBe(a);
        expect(DomUtils.textContent(th!)).toBe(a);
        expect(DomUtils.textContent(td!)).toBe(b);
        expect(message).not.toMatch(FREEMARKER);
      }),
      { numRuns: 1000 },
    );
  });

  it('escapeMessageML output never contains a raw markup or FreeMarker character sequence', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const escaped = escapeMessageML(s);
        expect(escaped).not.toMatch(/[<>"'\r]/);
        expect(escaped).not.toMatch(FREEMARKER);
        expect(escaped).not.toMatch(/&(?!(amp|lt|gt|quot|#39|#13|#36|#35|#123|#91|#64|#61|#47);)/);
      }),
      { numRuns: 2000 },
    );
  });
});

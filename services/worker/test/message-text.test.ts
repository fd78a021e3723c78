import { escapeMessageML } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { asMessageML } from '../src/runtime/message-text.ts';

describe('asMessageML', () => {
  it('escapes XML specials in plain text', () => {
    expect(asMessageML(`a < b & "c" > 'd'`)).toBe(
      '<messageML>a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39;</messageML>',
    );
  });

  it('neutralises FreeMarker syntax in the text, exactly as the shared escaper does', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeMarker syntax is the input under test
    const text = 'Sorry ${user.name}, #{x} [#if y]no[/#if] costs $';
    const wrapped = asMessageML(text);
    expect(wrapped).toBe(`<messageML>${escapeMessageML(text)}</messageML>`);
    expect(wrapped).toBe(
      '<messageML>Sorry &#36;{user.name}, &#35;{x} &#91;#if y]no&#91;/#if] costs &#36;</messageML>',
    );
    expect(wrapped).not.toContain('${');
    expect(wrapped).not.toContain('#{');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeMarker syntax is the input under test
    expect(asMessageML('${x}')).toBe('<messageML>&#36;{x}</messageML>');
  });

  it('escapes a carriage return like the shared escaper (an XML parser would turn it into \\n)', () => {
    expect(asMessageML('a\r\nb')).toBe('<messageML>a&#13;\nb</messageML>');
  });

  it('passes a MessageML document through unchanged, leading whitespace included', () => {
    // The bot's own MessageML is trusted: passed through as it is, FreeMarker syntax included.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeMarker syntax is the input under test
    for (const doc of ['<messageML><b>hi</b> ${kept}</messageML>', '  \n<messageML>x</messageML>']) {
      expect(asMessageML(doc)).toBe(doc);
    }
  });

  it('wraps the empty text', () => {
    expect(asMessageML('')).toBe('<messageML></messageML>');
  });
});

import {
  bold,
  button,
  card,
  cashtag,
  checkbox,
  code,
  escapeMessageML,
  Fragment,
  form,
  hashtag,
  InvalidMessageMlInputError,
  italic,
  link,
  list,
  mention,
  messageML,
  radio,
  select,
  table,
  textArea,
  textField,
  toMessage,
} from '@baton/shared';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';

/** The elements of a MessageML document, as `name[attr=value,…]` paths in document order. */
function elementsOf(message: string): string[] {
  const doc = parseDocument(message, { xmlMode: true });
  return DomUtils.findAll(() => true, doc.children).map((element) => {
    const attributes = Object.entries(element.attribs).map(([k, v]) => `${k}=${v}`);
    return attributes.length > 0 ? `${element.name}[${attributes.join(',')}]` : element.name;
  });
}

describe('escapeMessageML', () => {
  it.each([
    ['', ''],
    ['plain text', 'plain text'],
    ['a & b', 'a &amp; b'],
    ['<b>bold</b>', '&lt;b&gt;bold&lt;/b&gt;'],
    [`"double" 'single'`, '&quot;double&quot; &#39;single&#39;'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeMarker syntax is the input under test
    ['${user.name}', '&#36;{user.name}'],
    ['#{x}', '&#35;{x}'],
    ['<#if x>y</#if>', '&lt;#if x&gt;y&lt;/#if&gt;'],
    [']]>', ']]&gt;'],
    ['</messageML><messageML>', '&lt;/messageML&gt;&lt;messageML&gt;'],
    ['&#36;{x}', '&amp;#36;{x}'],
    ['price $5, #1 {ok}', 'price $5, #1 {ok}'],
    ['ends with $', 'ends with &#36;'],
    ['ends with #', 'ends with &#35;'],
    ['{starts}', '&#123;starts}'],
    ['#1 @x =y', '&#35;1 @x =y'],
    ['@here', '&#64;here'],
    ['/#if', '&#47;#if'],
    ['/help', '/help'],
    ['end [', 'end &#91;'],
    ['[#if x][/#if] [@m/] [=x] [b]', '&#91;#if x]&#91;/#if] &#91;@m/] &#91;=x] [b]'],
    ['line\r\nbreak', 'line&#13;\nbreak'],
  ])('%j → %j', (input, expected) => {
    expect(escapeMessageML(input)).toBe(expected);
  });
});

describe('messageML template', () => {
  it('escapes strings and inserts Fragments as markup', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeMarker syntax is the input under test
    const name = '<i>Eve</i> & ${x}';
    expect(messageML`<p>Hi ${name}, ${bold('you')}</p>`.markup).toBe(
      '<p>Hi &lt;i&gt;Eve&lt;/i&gt; &amp; &#36;{x}, <b>you</b></p>',
    );
  });

  it('renders numbers, booleans, arrays and nothing for null/undefined', () => {
    const items = ['<a>', bold('b'), 3];
    expect(messageML`<p>${1}|${true}|${items}|${null}|${undefined}</p>`.markup).toBe(
      '<p>1|true|&lt;a&gt;<b>b</b>3||</p>',
    );
  });

  it('does not trust look-alike objects', () => {
    const forged = { markup: '<script/>', isActionButton: true } as unknown as Fragment;
    expect(messageML`<p>${forged}</p>`.markup).not.toContain('<script');
    const ctor = Fragment as unknown as new (token: symbol, markup: string) => Fragment;
    expect(() => new ctor(Symbol('trusted MessageML'), '<x/>')).toThrow(TypeError);
  });

  it('never lets a value complete FreeMarker syntax with the surrounding markup', () => {
    const message = messageML`<p>$${'{x}'} #${'{y}'} ${'z$'}{w}</p>`.markup;
    expect(message).not.toMatch(/\$\{|#\{/);
  });
});

describe('inline helpers', () => {
  it('mention', () => {
    expect(mention(7215545058313).markup).toBe('<mention uid="7215545058313"/>');
    expect(mention('123').markup).toBe('<mention uid="123"/>');
    expect(() => mention('12a')).toThrow(InvalidMessageMlInputError);
    expect(() => mention(-1)).toThrow(InvalidMessageMlInputError);
  });

  it('hashtag and cashtag validate their tags', () => {
    expect(hashtag('fx.rates-1_a').markup).toBe('<hash tag="fx.rates-1_a"/>');
    expect(cashtag('AAPL').markup).toBe('<cash tag="AAPL"/>');
    expect(hashtag('été').markup).toBe('<hash tag="été"/>');
    for (const bad of ['', 'a b', '"/><x', '#tag', 'a{b}', '$x']) {
      expect(() => hashtag(bad)).toThrow(InvalidMessageMlInputError);
      expect(() => cashtag(bad)).toThrow(expect.objectContaining({ code: 'INVALID_MESSAGEML_INPUT' }));
    }
  });

  it('bold, italic and code escape text and nest Fragments', () => {
    expect(bold('<x>').markup).toBe('<b>&lt;x&gt;</b>');
    expect(bold(italic('x')).markup).toBe('<b><i>x</i></b>');
    expect(code('a && b').markup).toBe('<code>a &amp;&amp; b</code>');
  });

  it('link accepts only absolute http(s) URLs and escapes the href', () => {
    expect(link('https://example.com/a?b=1&c="2"', 'go <now>').markup).toBe(
      '<a href="https://example.com/a?b=1&amp;c=%222%22">go &lt;now&gt;</a>',
    );
    expect(link('http://example.com').markup).toBe('<a href="http://example.com/"/>');
    for (const bad of [
      'javascript:alert(1)',
      'ftp://example.com',
      '/relative',
      'not a url',
      'data:text/html,x',
    ]) {
      expect(() => link(bad, 'x')).toThrow(InvalidMessageMlInputError);
    }
  });
});

describe('block helpers', () => {
  it('list', () => {
    expect(list(['a', bold('b')]).markup).toBe('<ul><li>a</li><li><b>b</b></li></ul>');
    expect(list(['<1>'], { ordered: true }).markup).toBe('<ol><li>&lt;1&gt;</li></ol>');
  });

  it('table', () => {
    expect(
      table(
        ['Name', 'Px'],
        [
          ['<AAPL>', 1],
          [cashtag('MSFT'), 2],
        ],
      ).markup,
    ).toBe(
      '<table><thead><tr><th>Name</th><th>Px</th></tr></thead><tbody>' +
        '<tr><td>&lt;AAPL&gt;</td><td>1</td></tr><tr><td><cash tag="MSFT"/></td><td>2</td></tr></tbody></table>',
    );
  });

  it('card', () => {
    expect(card('Head & co', messageML`<p>${'body'}</p>`, { accent: 'tempo-bg-color--blue' }).markup).toBe(
      '<card accent="tempo-bg-color--blue"><header>Head &amp; co</header><body><p>body</p></body></card>',
    );
  });

  it('toMessage wraps in one messageML root', () => {
    expect(toMessage(messageML`<p>${'hi'}</p>`)).toBe('<messageML><p>hi</p></messageML>');
  });
});

describe('Elements form builder', () => {
  it('builds the documented form', () => {
    const message = toMessage(
      form('form_id', [
        textField({ name: 'name', required: true, placeholder: 'Name' }),
        select({ name: 'country', options: [{ value: 'opt1', label: 'Australia' }] }),
        radio({ name: 'example_radio', value: 'option_01', checked: true, label: 'Marked' }),
        checkbox({ name: 'checkbox_1', value: 'value01', checked: true, label: 'Checked' }),
        textArea({ name: 'comment', placeholder: 'Add your comment here', required: true }),
        button({ type: 'reset', label: 'Reset' }),
        button({ name: 'submit_button', label: 'Submit' }),
      ]),
    );
    expect(elementsOf(message)).toEqual([
      'messageML',
      'form[id=form_id]',
      'text-field[name=name,placeholder=Name,required=true]',
      'select[name=country]',
      'option[value=opt1]',
      'radio[name=example_radio,value=option_01,checked=true]',
      'checkbox[name=checkbox_1,value=value01,checked=true]',
      'textarea[name=comment,placeholder=Add your comment here,required=true]',
      'button[type=reset]',
      'button[name=submit_button,type=action]',
    ]);
    expect(message).toContain('<option value="opt1">Australia</option>');
    expect(message).toContain('<button name="submit_button" type="action">Submit</button>');
  });

  it('escapes user-provided labels, defaults and values', () => {
    const message = toMessage(
      form('f', [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeMarker syntax is the input under test
        textField({ name: 'n', value: '"/><b>x</b>', label: '${l}' }),
        select({ name: 's', options: [{ value: '"><x', label: '<y>', selected: true }] }),
        button({ name: 'go', label: '</form>' }),
      ]),
    );
    expect(elementsOf(message)).toEqual([
      'messageML',
      'form[id=f]',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeMarker syntax is the input under test
      'text-field[name=n,label=${l}]',
      'select[name=s]',
      'option[value="><x,selected=true]',
      'button[name=go,type=action]',
    ]);
    expect(message).not.toContain('${');
  });

  it('refuses a form without an action button, an unnamed action button and bad field options', () => {
    expect(() => form('f', [textField({ name: 'a' }), button({ type: 'reset', label: 'R' })])).toThrow(
      InvalidMessageMlInputError,
    );
    expect(() => form('f', [bold('not a button')])).toThrow(InvalidMessageMlInputError);
    expect(() => button({ label: 'Go' })).toThrow(InvalidMessageMlInputError);
    expect(() => form('', [button({ name: 'go', label: 'Go' })])).toThrow(InvalidMessageMlInputError);
    expect(() => textField({ name: 'a', maxlength: 129 })).toThrow(InvalidMessageMlInputError);
    expect(() => select({ name: 's', options: [] })).toThrow(InvalidMessageMlInputError);
  });

  it('supports multi-submit', () => {
    expect(form('f', [button({ name: 'go', label: 'Go' })], { multiSubmit: 'reset' }).markup).toBe(
      '<form id="f" multi-submit="reset"><button name="go" type="action">Go</button></form>',
    );
  });
});

import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ArgsOf, CommandPatternError, type Mention, parseCommandPattern } from '../src/index.ts';

describe('parseCommandPattern', () => {
  it('parses literals, required, optional, defaults and rest arguments', () => {
    const p = parseCommandPattern('/Room Create {name:string} [count:int=3] [members:mention...]');
    expect(p.literals).toEqual(['/room', 'create']);
    expect(p.name).toBe('/room create');
    expect(p.args).toEqual([
      { name: 'name', type: 'string', required: true, rest: false },
      { name: 'count', type: 'int', required: false, rest: false, defaultValue: '3' },
      { name: 'members', type: 'mention', required: false, rest: true },
    ]);
    expect(p.usage).toBe('/room create <name> [count:int=3] [@members…]');
  });

  it('accepts the @ # $ shorthands and an untyped argument as string', () => {
    const p = parseCommandPattern('/x {@who} {#topic} {$ticker} {plain}');
    expect(p.args.map((a) => [a.name, a.type])).toEqual([
      ['who', 'mention'],
      ['topic', 'hashtag'],
      ['ticker', 'cashtag'],
      ['plain', 'string'],
    ]);
  });

  it.each([
    ['echo {text}', /must start with a slash word/],
    ['/x {a:float}', /unknown type "float"/],
    ['/x {a} {a}', /duplicate argument name "a"/],
    ['/x [a...] {b}', /rest argument "a" must be the last one|cannot follow an optional/],
    ['/x {a:text} {b}', /text argument "a" takes the rest of the line/],
    ['/x [a] {b}', /required argument "b" cannot follow an optional one/],
    ['/x {a} literal', /literal "literal" must come before the arguments/],
    ['/x {a=1}', /only optional \[arguments\] can have a default/],
    ['/x [n:int=1.5]', /not an integer/],
    ['/x [n:number=abc]', /not a number/],
    ['/x [m:mention=bob]', /a mention cannot have a default/],
    ['/x {a', /unbalanced brackets/],
    ['/x {1a}', /argument name must be an identifier/],
  ])('rejects %s with a clear message', (pattern, message) => {
    expect(() => parseCommandPattern(pattern)).toThrow(CommandPatternError);
    expect(() => parseCommandPattern(pattern)).toThrow(message);
  });

  it('types the arguments from the pattern string', () => {
    expectTypeOf<ArgsOf<'/room create {name:string} [members:mention...]'>>().toEqualTypeOf<{
      name: string;
      members: Mention[];
    }>();
    expectTypeOf<ArgsOf<'/add {a:int} [b:number=2] [note]'>>().toEqualTypeOf<{
      a: number;
      b: number;
      note?: string;
    }>();
    expectTypeOf<ArgsOf<'/quote {$ticker} [#tag]'>>().toEqualTypeOf<{ ticker: string; tag?: string }>();
    expectTypeOf<keyof ArgsOf<'/ping'>>().toEqualTypeOf<never>();
  });
});

/**
 * Compile-time inference of a command's argument object from its pattern string, e.g.
 * `ArgsOf<'/room create {name:string} [members:mention...]'>` = `{ name: string; members: Mention[] }`.
 * The runtime parser (`parse-command-pattern.ts`) accepts exactly this language.
 */

/** A mentioned user. */
export interface Mention {
  userId: number;
  /** As displayed, e.g. `@Alice Smith`. */
  text: string;
}

/** Argument types of the pattern language and the values handlers receive. */
export interface ArgValueMap {
  string: string;
  number: number;
  int: number;
  mention: Mention;
  /** Without the `#`. */
  hashtag: string;
  /** Without the `$`. */
  cashtag: string;
  /** The rest of the line as text. */
  text: string;
}

export type ArgType = keyof ArgValueMap;

type Words<S extends string> = S extends `${infer H} ${infer R}` ? H | Words<R> : S;
type StripRest<I extends string> = I extends `${infer B}...` ? B : I;
type IsRest<I extends string> = I extends `${string}...` ? true : false;
type StripDefault<I extends string> = I extends `${infer B}=${string}` ? B : I;
type HasDefault<I extends string> = StripRest<I> extends `${string}=${string}` ? true : false;
type NameType<I extends string> = I extends `@${infer N}`
  ? [N, 'mention']
  : I extends `#${infer N}`
    ? [N, 'hashtag']
    : I extends `$${infer N}`
      ? [N, 'cashtag']
      : I extends `${infer N}:${infer T}`
        ? [N, T]
        : [I, 'string'];
type ArgName<I extends string> = NameType<StripDefault<StripRest<I>>>[0];
type ArgTypeOf<I extends string> = NameType<StripDefault<StripRest<I>>>[1];
type ValueOf<T> = T extends ArgType ? ArgValueMap[T] : unknown;
type Value<I extends string> = IsRest<I> extends true ? ValueOf<ArgTypeOf<I>>[] : ValueOf<ArgTypeOf<I>>;

type Required<P extends string> = {
  [W in Words<P> as W extends `{${infer I}}`
    ? ArgName<I>
    : W extends `[${infer I}]`
      ? IsRest<I> extends true
        ? ArgName<I>
        : HasDefault<I> extends true
          ? ArgName<I>
          : never
      : never]: W extends `{${infer I}}` ? Value<I> : W extends `[${infer I}]` ? Value<I> : never;
};
type Optional<P extends string> = {
  [W in Words<P> as W extends `[${infer I}]`
    ? IsRest<I> extends true
      ? never
      : HasDefault<I> extends true
        ? never
        : ArgName<I>
    : never]?: W extends `[${infer I}]` ? Value<I> : never;
};
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The argument object of a pattern (a plain record when the pattern is not a literal type). */
export type ArgsOf<P extends string> = string extends P
  ? Record<string, unknown>
  : Simplify<Required<P> & Optional<P>>;

/**
 * Compile-time inference of a command's argument object from its pattern string, e.g.
 * `ArgsOf<'/room create {name:string} [members:mention...]'>` = `{ name: string; members: Mention[] }`.
 * The runtime parser (`parse-command-pattern.ts`) accepts exactly this language.
 */
export {};
//# sourceMappingURL=pattern-types.js.map

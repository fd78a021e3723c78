/** Types a bot factory for `export default` (identity at run time). */
export function defineBot(factory) {
  return factory;
}
//# sourceMappingURL=bot-module.js.map

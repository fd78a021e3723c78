import type { Bindings, Level, Logger } from 'pino';

const LEVELS: ReadonlySet<string> = new Set<Level>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const noop = (): void => {};
/** Each lazy logger's own `materialize`, so a lazy child of a lazy logger is made from the real one. */
const materializers = new WeakMap<Logger, () => Logger>();

/**
 * `parent.child(bindings)`, made only when it is first needed: a call at an enabled level, or any other use of
 * the logger (its level, bindings, flush…). A call at a disabled level is a no-op that makes nothing. pino's
 * `child()` costs some 20–40 µs (bindings serialised, redaction compiled), and the worker makes one logger per
 * drain and per event, and the bot one per handled event: at the usual `info`/`warn` level the hot path logs
 * nothing, so none of them is ever made. `child()` of a lazy logger is lazy too. Lines are the same as with
 * `parent.child(bindings)`; the level is the parent's at the time the child is made.
 */
export function lazyChildLogger(parent: Logger, bindings: Bindings): Logger {
  let real: Logger | undefined;
  const materialize = (): Logger => {
    real ??= (materializers.get(parent)?.() ?? parent).child(bindings);
    return real;
  };
  const handler: ProxyHandler<Logger> = {
    get(_target, prop) {
      if (real === undefined && typeof prop === 'string') {
        if (LEVELS.has(prop) && !parent.isLevelEnabled(prop)) return noop;
        if (prop === 'child') {
          return (more: Bindings) => lazyChildLogger(proxy, more);
        }
        if (prop === 'isLevelEnabled') return (level: string) => parent.isLevelEnabled(level);
      }
      const logger = materialize();
      const value: unknown = Reflect.get(logger, prop, logger);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(logger) : value;
    },
    set(_target, prop, value) {
      return Reflect.set(materialize(), prop, value);
    },
    has(_target, prop) {
      return Reflect.has(materialize(), prop);
    },
  };
  const proxy: Logger = new Proxy(parent, handler);
  materializers.set(proxy, materialize);
  return proxy;
}

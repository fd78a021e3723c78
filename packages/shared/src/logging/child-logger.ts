import type { Bindings, Logger } from 'pino';

/** For each logger made by `childLogger`: the logger it was made from and every binding it carries. */
const origins = new WeakMap<Logger, { base: Logger; bindings: Bindings }>();

/**
 * A child logger whose bindings replace the parent's of the same name instead of repeating them. pino's own
 * `child()` appends bindings, so `logger.child({ component: 'a' }).child({ component: 'b' })` writes
 * `"component":"a","component":"b"` in one JSON line. Here the child is made from the first logger of the chain
 * not made by `childLogger` (usually the root), with the parent's bindings merged under the new ones: the line
 * carries `"component":"b"` once, and the parent's other bindings (`instanceId`, `workerId`…) stay. The child
 * takes the parent's current level.
 */
export function childLogger(parent: Logger, bindings: Bindings): Logger {
  const origin = origins.get(parent);
  const base = origin?.base ?? parent;
  const merged = { ...origin?.bindings, ...bindings };
  const child = base.child(merged);
  child.level = parent.level;
  origins.set(child, { base, bindings: merged });
  return child;
}

import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A fresh prom-client registry for one service (never the global one): default label `service`, plus
 * Node process metrics (CPU, memory, event loop lag, GC).
 */
export function createRegistry(
  service: string,
  opts: { prefix?: string; processMetrics?: boolean } = {},
): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (opts.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry, ...(opts.prefix ? { prefix: opts.prefix } : {}) });
  }
  return registry;
}

import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A fresh prom-client registry for one service (never the global one): default label `service` (and `instance`
 * when given: the replica's id, e.g. `WORKER_ID`), plus Node process metrics (CPU, memory, event loop lag, GC).
 */
export function createRegistry(
  service: string,
  opts: { prefix?: string; processMetrics?: boolean; instance?: string } = {},
): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(opts.instance ? { service, instance: opts.instance } : { service });
  if (opts.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry, ...(opts.prefix ? { prefix: opts.prefix } : {}) });
  }
  return registry;
}

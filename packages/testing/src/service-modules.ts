import { recordLoadedModules } from './loaded-modules.ts';
import type { NodeProcess } from './node-process.ts';

/**
 * What no Baton service loads unless its configuration uses it (docs/operations.md, "Loaded only when used"): the
 * OpenTelemetry SDK (OTEL_EXPORTER_OTLP_ENDPOINT), the YAML parser (SYMPHONY_CONFIG_FILE), pino-pretty
 * (LOG_PRETTY), and jose beyond its JWT signer (its whole index).
 */
const NOT_LOADED_UNLESS_USED =
  /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(yaml|pino-pretty|@opentelemetry\/(sdk-trace-base|exporter-trace-otlp-http|resources|core|context-async-hooks))\/|node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?jose\/dist\/webapi\/index\.js/;

/**
 * Modules every service checked here has loaded: ioredis's CommonJS entry (so the recorder sees CommonJS modules as
 * well as ES ones) and jose's JWT signer (loaded at the first RSA login: the run must log in).
 */
const LOADED_BY_EVERY_SERVICE = ['node_modules/ioredis/built/index.js', 'jose/dist/webapi/jwt/sign.js'];

export interface ServiceModulesCheck {
  /** Path endings of `loads` (and of what every service loads) that no loaded module has. */
  missing: string[];
  /** Loaded modules it should not have: `notNeeded`, or what no service loads unless configured to. */
  notNeeded: string[];
}

/**
 * Checks which modules a service process loads: `start` gets the recorder's env to add to the process's own, starts
 * it and resolves with it once it has done the work the check is about; the modules it has loaded by then must
 * end with each of `loads` (its own, e.g. `/services/ingester/src/create-ingester.ts`) and with what every service
 * loads, and match neither `notNeeded` (what only the other services use) nor what no service loads unless
 * configured to. Both lists empty is a pass. The recorder is disposed either way; the process is left running.
 */
export async function checkServiceModules(
  start: (env: Record<string, string>) => Promise<Pick<NodeProcess, 'name' | 'pid'>>,
  { loads, notNeeded }: { loads: readonly string[]; notNeeded: RegExp },
): Promise<ServiceModulesCheck> {
  const recorder = recordLoadedModules();
  try {
    const child = await start(recorder.env);
    if (child.pid === undefined) throw new Error(`${child.name} has no pid`);
    const modules = await recorder.read(child.pid);
    return {
      missing: [...loads, ...LOADED_BY_EVERY_SERVICE].filter((end) => !modules.some((m) => m.endsWith(end))),
      notNeeded: modules.filter((m) => notNeeded.test(m) || NOT_LOADED_UNLESS_USED.test(m)),
    };
  } finally {
    recorder.dispose();
  }
}

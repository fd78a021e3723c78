import { serializeError } from '@baton/shared/errors';
import type { SimLogger } from './logger.ts';

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type Level = (typeof LEVELS)[number];

/** JSON-lines logger on stdout for `pnpm sim` (no pino dependency needed in the simulator). */
export function createConsoleLogger(level: Level, bindings: Record<string, unknown> = {}): SimLogger {
  const min = LEVELS.indexOf(level);
  const at =
    (lvl: Exclude<Level, 'silent'>) =>
    (obj: object, msg?: string): void => {
      if (LEVELS.indexOf(lvl) < min) return;
      const o = obj as { err?: unknown };
      const rec: Record<string, unknown> = { level: lvl, time: Date.now(), ...bindings, ...obj, msg };
      if (o.err instanceof Error) rec.err = serializeError(o.err);
      process.stdout.write(`${JSON.stringify(rec)}\n`);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (b) => createConsoleLogger(level, { ...bindings, ...b }),
  };
}

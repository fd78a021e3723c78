import { ConfigError } from '@baton/shared';

/** Why `BOT_MODULE` could not give a bot. */
export type BotModuleProblem = 'NOT_FOUND' | 'LOAD_FAILED' | 'NO_BOT' | 'FACTORY_FAILED' | 'TYPESCRIPT';

/**
 * `BOT_MODULE` names nothing loadable, or a module without a bot: a configuration error (the process exits 2
 * with this message, naming the variable), coded `BOT_MODULE_<problem>`.
 */
export class BotModuleError extends ConfigError {
  declare readonly code: `BOT_MODULE_${BotModuleProblem}`;
  constructor(
    readonly problem: BotModuleProblem,
    readonly spec: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Invalid configuration for worker:\n  BOT_MODULE: ${detail}`,
      [{ variable: 'BOT_MODULE', problem: detail }],
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = `BOT_MODULE_${problem}`;
  }
}

import { BatonError } from '@baton/shared';

/** Why `baton dev` cannot run the stack for this project. */
export type DevSetupProblem = 'NO_BOT' | 'MISSING_PACKAGE' | 'NOT_BUILT' | 'NO_TSX';

/**
 * The project lacks something `baton dev` needs (a bot, a service package, a build, tsx): nothing was started;
 * the CLI prints the message, which says what to add or run, and exits 2. Coded `DEV_<problem>`.
 */
export class DevSetupError extends BatonError {
  declare readonly code: `DEV_${DevSetupProblem}`;
  constructor(
    readonly problem: DevSetupProblem,
    message: string,
  ) {
    super(`DEV_${problem}`, message);
  }
}

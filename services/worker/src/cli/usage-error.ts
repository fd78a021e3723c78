import { BatonError } from '@baton/shared';

/** The command line itself is wrong (unknown command or option, a bad value): the CLI prints one line, exits 2. */
export class UsageError extends BatonError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

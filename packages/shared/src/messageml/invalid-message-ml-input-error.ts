import { BatonError } from '../errors/baton-error.ts';

/** A MessageML helper was given something it cannot render safely (a non-http(s) link, a bad tag or name…). */
export class InvalidMessageMlInputError extends BatonError {
  constructor(message: string) {
    super('INVALID_MESSAGEML_INPUT', message);
  }
}

/** A MessageML helper was given something it cannot render safely (a non-http(s) link, a bad tag or name…). */
export class InvalidMessageMlInputError extends Error {
  readonly code = 'INVALID_MESSAGEML_INPUT' as const;

  constructor(message: string) {
    super(message);
    this.name = 'InvalidMessageMlInputError';
  }
}

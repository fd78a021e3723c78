import { DashboardError } from '../errors.ts';

/** A status read that did not answer in time (typically Redis unreachable while ioredis queues commands). */
export class ReadTimeoutError extends DashboardError {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super('DASHBOARD_READ_TIMEOUT', `${what}: no answer within ${timeoutMs} ms`);
  }
}

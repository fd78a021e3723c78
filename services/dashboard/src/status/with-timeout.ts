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

/** Resolves like `work`, or rejects with `ReadTimeoutError` after `timeoutMs` (the work itself is not cancelled). */
export async function withTimeout<T>(what: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadTimeoutError(what, timeoutMs)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

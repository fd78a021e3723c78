import { BatonError } from '@baton/shared';

/** The DLQ tool could not reach its Redis within the connect timeout: it exits 1 instead of waiting forever. */
export class RedisUnreachableError extends BatonError {
  constructor(
    readonly redis: string,
    readonly timeoutMs: number,
    readonly lastError: string | undefined,
  ) {
    super(
      'DLQ_REDIS_UNREACHABLE',
      `cannot reach Redis at ${redis} within ${timeoutMs / 1000} s${lastError ? ` (${lastError})` : ''}: is it running? Set REDIS_URL, or start the stack (pnpm start)`,
    );
  }
}

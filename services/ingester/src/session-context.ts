import type { Logger } from '@baton/shared';
import type { ReadLoopDeps, ReadLoopOptions } from './read-loop.ts';
import type { ReadLoopState } from './read-loop-state.ts';

/**
 * What the two sides of one leader session (`readFeed` and `storeHeldBatches`) share: the read loop's options,
 * dependencies and state, the lease's token and holder the session writes under, and how it retries.
 */
export interface SessionContext {
  options: ReadLoopOptions;
  deps: ReadLoopDeps;
  loop: ReadLoopState;
  /** The lease's fencing token (the mailbox fences enqueues by it). */
  token: string;
  /** The lease's holder (the feed state's writes check it). */
  holder: string;
  /** The session's logger (bound to its leader token). */
  log: Logger;
  /** `retryForever` with the session's logger, the loop's metrics and backoff cap; `unstorable` as there. */
  retry<T>(
    label: string,
    fn: () => Promise<T>,
    signal: AbortSignal,
    unstorable?: (err: unknown) => boolean,
  ): Promise<T>;
  /**
   * Batches the reader may read while the one before them is stored: v1 `INGESTER_V1_READ_AHEAD`; v2 and the
   * datahose 0 (their next read carries the stored batch's ackId). At most `readAhead + 1` are held.
   */
  readAhead: number;
}

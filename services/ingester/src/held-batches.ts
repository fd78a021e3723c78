/** One feed read, held from the moment its answer arrived until its batch is stored in Redis. */
export interface HeldBatch {
  events: unknown[];
  /** v2 / datahose: the ackId to store with the batch; v1: undefined. */
  ackId: string | undefined;
  /** When the read was sent (ms). */
  sentAt: number;
  /** When its answer arrived (ms): the entries' `receivedAt`. */
  receivedAt: number;
}

/**
 * The batches read and not stored yet, in feed order: the reader appends, the storer stores the head and only
 * then removes it. `waitForRoom(limit)` lets the reader read again once at most `limit` batches wait behind the
 * one being stored (v1 read-ahead; 0 = read only after each store), so at most `limit + 1` are held.
 */
export interface HeldBatches {
  size(): number;
  /** Events in all held batches. */
  events(): number;
  push(batch: HeldBatch): void;
  /** The oldest held batch (the next to store). */
  head(): HeldBatch | undefined;
  /** Remove the head (once it is stored). */
  shift(): void;
  /** Empty the buffer, returning what it held (oldest first). */
  clear(): HeldBatch[];
  /** Resolves once `size() <= limit`, or when `signal` aborts (never rejects). */
  waitForRoom(limit: number, signal: AbortSignal): Promise<void>;
  /** Resolves once a batch is held or `until` aborts (never rejects). */
  waitForBatch(until: AbortSignal): Promise<void>;
}

export function createHeldBatches(onChange?: (size: number) => void): HeldBatches {
  const held: HeldBatch[] = [];
  let wake: (() => void) | undefined;
  let changed = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const notify = (): void => {
    onChange?.(held.length);
    const w = wake;
    changed = new Promise<void>((resolve) => {
      wake = resolve;
    });
    w?.();
  };
  const until = async (ready: () => boolean, signal: AbortSignal): Promise<void> => {
    if (ready() || signal.aborted) return;
    let onAbort = (): void => {};
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
    });
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!ready() && !signal.aborted) await Promise.race([changed, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
  return {
    size: () => held.length,
    events: () => held.reduce((n, b) => n + b.events.length, 0),
    push(batch) {
      held.push(batch);
      notify();
    },
    head: () => held[0],
    shift() {
      held.shift();
      notify();
    },
    clear() {
      const out = held.splice(0, held.length);
      notify();
      return out;
    },
    waitForRoom: (limit, signal) => until(() => held.length <= limit, signal),
    waitForBatch: (signal) => until(() => held.length > 0, signal),
  };
}

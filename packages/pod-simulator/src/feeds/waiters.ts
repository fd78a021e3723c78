/** Wake-up list for long polls: readers wait until `notify()` (events arrived, feed expired) or a deadline. */
export class Waiters {
  private readonly pending = new Set<() => void>();

  notify(): void {
    if (this.pending.size === 0) return;
    const wake = [...this.pending];
    this.pending.clear();
    for (const w of wake) w();
  }

  /** Resolves on the next notify, after `ms`, or when `signal` aborts, whichever comes first. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (ms <= 0 || signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        this.pending.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * Settles like `work`, or rejects with `onTimeout()` once `timeoutMs` passed first (the error says what timed out:
 * `HandlerTimeoutError`, `ReadTimeoutError`…). The abandoned `work` keeps running (JavaScript cannot stop it); its
 * later rejection is swallowed so it is never an unhandled rejection. The timer does not hold the process open.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    timer.unref();
  });
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

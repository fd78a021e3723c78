import { setTimeout as sleep } from 'node:timers/promises';
import { BatonError } from '@baton/shared';

/** GET `url` and report whether it answered 2xx within `timeoutMs`. */
export async function httpOk(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok;
  } catch {
    return false;
  }
}

/** Some processes of the stack did not pass their health check in time. */
export class HealthTimeoutError extends BatonError {
  constructor(
    readonly pending: readonly string[],
    readonly timeoutMs: number,
  ) {
    super('DEV_HEALTH_TIMEOUT', `not healthy after ${timeoutMs} ms: ${pending.join(', ')}`);
  }
}

/** The start was cancelled (Ctrl-C) before the stack was healthy. */
export class StartAbortedError extends BatonError {
  constructor() {
    super('DEV_START_ABORTED', 'start aborted');
  }
}

/**
 * Polls every named check until all have passed once (each check stops being polled once it passes).
 * Throws HealthTimeoutError naming the ones still failing after `timeoutMs`, StartAbortedError when `signal` aborts.
 */
export async function waitHealthy(
  checks: Readonly<Record<string, () => Promise<boolean>>>,
  opts: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal; onHealthy?: (name: string) => void },
): Promise<void> {
  const pending = new Map(Object.entries(checks));
  const deadline = Date.now() + opts.timeoutMs;
  while (pending.size > 0) {
    if (opts.signal?.aborted) throw new StartAbortedError();
    const results = await Promise.all(
      [...pending].map(async ([name, check]) => [name, await check()] as const),
    );
    for (const [name, ok] of results) {
      if (!ok) continue;
      pending.delete(name);
      opts.onHealthy?.(name);
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) throw new HealthTimeoutError([...pending.keys()], opts.timeoutMs);
    await sleep(opts.intervalMs ?? 250);
  }
}

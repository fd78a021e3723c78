import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withTimeout } from '../src/async/index.ts';

class LateError extends Error {}

describe('withTimeout', () => {
  it('settles like the work when it finishes first', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000, () => new LateError())).resolves.toBe(7);
    const boom = new Error('boom');
    await expect(withTimeout(Promise.reject(boom), 1_000, () => new LateError())).rejects.toBe(boom);
  });

  it("rejects with onTimeout()'s error when the work is slower, and swallows the work's late rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const work = sleep(100).then(() => {
        throw new Error('too late');
      });
      await expect(withTimeout(work, 10, () => new LateError('slow'))).rejects.toBeInstanceOf(LateError);
      await sleep(150);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

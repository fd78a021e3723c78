import { describe, expect, it } from 'vitest';
import { waitFor } from '../src/wait-for.ts';

describe('waitFor', () => {
  it('resolves with the first truthy value of the condition', async () => {
    let n = 0;
    expect(await waitFor('n to reach 3', () => (++n >= 3 ? `n=${n}` : undefined), 5_000)).toBe('n=3');
    expect(await waitFor('an async condition', async () => true, 1_000)).toBe(true);
  });

  it('rejects after the timeout, naming what it waited for and what describe() says', async () => {
    const t0 = Date.now();
    await expect(
      waitFor(
        'the impossible',
        () => false,
        300,
        () => 'state: stuck',
      ),
    ).rejects.toThrow('timed out after 300 ms waiting for the impossible\nstate: stuck');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
  });

  it('rejects at once with what the condition throws', async () => {
    const t0 = Date.now();
    await expect(
      waitFor(
        'a dead process',
        () => {
          throw new Error('it exited');
        },
        10_000,
      ),
    ).rejects.toThrow('it exited');
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('with throwsAsNotYet, polls on through throws at everyMs and names the last error on a timeout', async () => {
    let calls = 0;
    const flaky = () => {
      calls++;
      if (calls < 3) throw new Error(`not up (${calls})`);
      return 'up';
    };
    expect(await waitFor('a flaky probe', flaky, 5_000, { everyMs: 100, throwsAsNotYet: true })).toBe('up');
    expect(calls).toBe(3);
    const t0 = Date.now();
    let polls = 0;
    await expect(
      waitFor(
        'a probe that keeps failing',
        () => {
          polls++;
          throw new Error('connection refused');
        },
        450,
        { everyMs: 200, throwsAsNotYet: true },
      ),
    ).rejects.toThrow(
      'timed out after 450 ms waiting for a probe that keeps failing: Error: connection refused',
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(polls).toBeLessThanOrEqual(4);
  });
});

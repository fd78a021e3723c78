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
});

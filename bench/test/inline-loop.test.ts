import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import type { BdkFeed } from '../src/baselines/bdk-feed.ts';
import { createInlineLoop, type InlineMode } from '../src/baselines/inline-loop.ts';

const logger = createLogger({ level: 'silent' });

/** A feed that hands out the given batches, then nothing (waits until aborted). */
function scriptedFeed(batches: number[][], log: string[]): BdkFeed {
  let i = 0;
  return {
    recreated: () => 0,
    async read(signal) {
      const batch = batches[i++];
      log.push(`read${i}`);
      if (batch) return batch;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return [];
    },
  };
}

async function run(mode: InlineMode) {
  const log: string[] = [];
  let active = 0;
  let maxActive = 0;
  const handle = async (e: unknown) => {
    active++;
    maxActive = Math.max(maxActive, active);
    log.push(`start${String(e)}`);
    await sleep(20);
    log.push(`end${String(e)}`);
    active--;
  };
  const loop = createInlineLoop({ mode }, { feed: scriptedFeed([[1, 2, 3], [4]], log), handle, logger });
  loop.start();
  await sleep(300);
  await loop.stop();
  return { log, maxActive };
}

describe('createInlineLoop', () => {
  it('inline (BDK Java): one handler at a time, the next read after the batch', async () => {
    const { log, maxActive } = await run('inline');
    expect(maxActive).toBe(1);
    expect(log).toEqual([
      'read1',
      'start1',
      'end1',
      'start2',
      'end2',
      'start3',
      'end3',
      'read2',
      'start4',
      'end4',
      'read3',
    ]);
  });

  it('inline-batch (BDK Python): a batch concurrently, the next read only after all of it', async () => {
    const { log, maxActive } = await run('inline-batch');
    expect(maxActive).toBe(3);
    expect(log.slice(0, 4)).toEqual(['read1', 'start1', 'start2', 'start3']);
    const read2 = log.indexOf('read2');
    for (const e of ['end1', 'end2', 'end3']) expect(log.indexOf(e)).toBeLessThan(read2);
    expect(log.slice(read2)).toEqual(['read2', 'start4', 'end4', 'read3']);
  });
});

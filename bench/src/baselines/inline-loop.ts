import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@baton/shared';
import type { BdkFeed } from './bdk-feed.ts';

export type InlineMode = 'inline' | 'inline-batch';

export interface InlineLoop {
  start(): void;
  stop(): Promise<void>;
}

/**
 * The read loop the BDKs run, with the handlers inside it:
 * - `inline` (BDK Java): each event's handler runs to completion before the next event, and the next read
 *   waits for the whole batch;
 * - `inline-batch` (BDK Python): a batch's handlers run concurrently (asyncio.gather), the next read waits for
 *   all of them.
 */
export function createInlineLoop(
  config: { mode: InlineMode },
  deps: { feed: BdkFeed; handle: (raw: unknown) => Promise<void>; logger: Logger },
): InlineLoop {
  const { feed, handle, logger } = deps;
  const ctl = new AbortController();
  let done: Promise<void> = Promise.resolve();

  async function dispatch(events: unknown[]): Promise<void> {
    if (config.mode === 'inline') {
      for (const e of events) await handle(e);
    } else {
      await Promise.all(events.map((e) => handle(e)));
    }
  }

  async function run(): Promise<void> {
    while (!ctl.signal.aborted) {
      let events: unknown[];
      try {
        events = await feed.read(ctl.signal);
      } catch (err) {
        if (ctl.signal.aborted) return;
        logger.error({ err }, 'datafeed read failed');
        await sleep(1_000);
        continue;
      }
      await dispatch(events);
    }
  }

  return {
    start() {
      done = run();
    },
    async stop() {
      ctl.abort();
      await done.catch(() => {});
    },
  };
}

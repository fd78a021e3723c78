import { createSymphonyClient, type Logger, symphonyClientConfigFrom } from '@baton/shared';
import type { BaselineConfig } from './baseline-config.ts';
import { createBdkFeed } from './bdk-feed.ts';
import { createBenchDispatch } from './bench-dispatch.ts';
import { createInlineLoop } from './inline-loop.ts';

/** A bot the way the BDKs run one: a datafeed loop with the bench handler inline. */
export function createBaselineBot(config: BaselineConfig, deps: { logger: Logger }) {
  const logger = deps.logger.child({ component: 'baseline', mode: config.BASELINE_MODE });
  const client = createSymphonyClient(symphonyClientConfigFrom(config), { logger });
  let loop: ReturnType<typeof createInlineLoop> | undefined;
  return {
    async start() {
      const me = await client.getSessionInfo();
      const feed = createBdkFeed(config.FEED_VERSION, { client, logger });
      const handle = createBenchDispatch({ client, botUserId: me.id, logger });
      loop = createInlineLoop({ mode: config.BASELINE_MODE }, { feed, handle, logger });
      loop.start();
      logger.info({ feedVersion: config.FEED_VERSION }, 'baseline bot started');
    },
    async stop() {
      await loop?.stop();
      client.close();
    },
  };
}

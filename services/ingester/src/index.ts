export { type IngesterConfig, ingesterConfigSchema, ingesterEnvSchema, loadConfig } from './config.ts';
export { createIngester, type Ingester, type IngesterDeps, type IngesterHealth } from './create-ingester.ts';
export { createFeedState, type FeedRecreation, type FeedState, type StoredFeed } from './feed-state.ts';
export { createLeaderLease, type LeaderLease } from './leader-lease.ts';

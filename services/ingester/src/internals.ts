// Source-only subpath `@baton/ingester/internals` (the `@baton/source` condition, so it resolves in this workspace
// and is not part of the published package): the batch step and the metrics, for the repository's root tests
// (the batch property test, the poison-batch test, the Prometheus rules' metric names).
export { createIngesterMetrics, type IngesterMetrics } from './ingester-metrics.ts';
export { type BatchDeps, type BatchOptions, type BatchResult, processBatch } from './process-batch.ts';

import type { Backlog } from '@baton/shared';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface IngesterMetrics {
  registry: Registry;
  reads: Counter<'outcome'>;
  events: Counter<'type'>;
  outcomes: Counter<'outcome'>;
  batchSize: Histogram;
  enqueueSeconds: Histogram;
  readSeconds: Histogram;
  errors: Counter<'class'>;
  feedRecreated: Counter;
  /** Other feeds of the bot account deleted because the agent refused ours for too many feeds. */
  staleFeedsDeleted: Counter;
  swept: Counter;
  leader: Gauge;
  /** Batches read from the feed and not stored yet (v1 read-ahead: up to INGESTER_V1_READ_AHEAD + 1). */
  heldBatches: Gauge;
}

/**
 * The ingester's Prometheus metrics on a per-instance registry. Backlog gauges read the mailbox counters at
 * scrape time; `lastReadAgeSeconds` reads the loop's clock. With `processMetrics` (the service sets it; off by
 * default for the many short-lived registries of tests) the registry also carries the Node process and event-loop
 * metrics (`process_*`, `nodejs_*`), as the worker's does.
 */
export function createIngesterMetrics(deps: {
  backlog: () => Promise<Backlog>;
  lastReadAgeMs: () => number | null;
  processMetrics?: boolean;
}): IngesterMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (deps.processMetrics === true) collectDefaultMetrics({ register: registry });
  const m: IngesterMetrics = {
    registry,
    reads: new Counter({
      name: 'baton_ingester_reads_total',
      help: 'Datafeed reads by outcome (events, empty, error)',
      labelNames: ['outcome'],
      registers,
    }),
    events: new Counter({
      name: 'baton_ingester_events_total',
      help: 'Events read from the feed, by type (invalid ones as INVALID)',
      labelNames: ['type'],
      registers,
    }),
    outcomes: new Counter({
      name: 'baton_ingester_event_outcomes_total',
      help: 'What happened to each event read: enqueued, duplicate, dead_lettered, own_message_dropped',
      labelNames: ['outcome'],
      registers,
    }),
    batchSize: new Histogram({
      name: 'baton_ingester_batch_size',
      help: 'Events per non-empty read',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers,
    }),
    enqueueSeconds: new Histogram({
      name: 'baton_ingester_enqueue_seconds',
      help: 'Time to make one batch safe in Redis (enqueue, drains, DLQ, ackId)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    }),
    readSeconds: new Histogram({
      name: 'baton_ingester_read_seconds',
      help: 'Duration of datafeed reads (long polls included)',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
      registers,
    }),
    errors: new Counter({
      name: 'baton_ingester_errors_total',
      help: 'Errors in the read loop, by error class',
      labelNames: ['class'],
      registers,
    }),
    feedRecreated: new Counter({
      name: 'baton_ingester_feed_recreated_total',
      help: 'Feeds recreated after the agent reported them gone (events may have been missed)',
      registers,
    }),
    staleFeedsDeleted: new Counter({
      name: 'baton_ingester_stale_feeds_deleted_total',
      help: 'Other datafeeds of the bot account deleted because the agent refused ours: the account had 20 active feeds',
      registers,
    }),
    swept: new Counter({
      name: 'baton_ingester_sweeper_rescheduled_total',
      help: 'Drains re-scheduled by the sweeper for mailboxes left without a live drain job',
      registers,
    }),
    leader: new Gauge({
      name: 'baton_ingester_leader',
      help: '1 while this replica reads the feed',
      registers,
    }),
    heldBatches: new Gauge({
      name: 'baton_ingester_held_batches',
      help: 'Batches read from the feed and not yet stored in Redis (v1 read-ahead holds up to INGESTER_V1_READ_AHEAD + 1)',
      registers,
    }),
  };
  new Gauge({
    name: 'baton_ingester_last_read_age_seconds',
    help: 'Seconds since the last completed datafeed read (-1 before the first)',
    registers,
    collect() {
      const age = deps.lastReadAgeMs();
      this.set(age === null ? -1 : age / 1000);
    },
  });
  let cached: Promise<Backlog> | undefined;
  const backlogOnce = (): Promise<Backlog> => {
    // One read of the counters per scrape, shared by the three gauges.
    if (!cached) {
      // Bounded: a scrape during a Redis outage keeps the last values instead of hanging.
      cached = Promise.race([
        deps.backlog(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('backlog read timed out')), 1_000).unref(),
        ),
      ]);
      cached.catch(() => {});
      setTimeout(() => {
        cached = undefined;
      }, 100).unref();
    }
    return cached;
  };
  /** A gauge of this scrape's backlog read; a read that failed or timed out leaves the last value. */
  const backlogGauge = (config: { name: string; help: string }, value: (b: Backlog) => number): void => {
    new Gauge({
      ...config,
      registers,
      async collect() {
        const b = await backlogOnce().catch(() => undefined);
        if (b) this.set(value(b));
      },
    });
  };
  backlogGauge(
    { name: 'baton_backlog_pending_events', help: 'Events waiting in the mailboxes' },
    (b) => b.pending,
  );
  backlogGauge({ name: 'baton_backlog_streams', help: 'Streams with pending events' }, (b) => b.streams);
  new Gauge({
    name: 'baton_ingester_redis_up',
    help: "1 when this scrape's read of the backlog counters from Redis answered within 1 s, else 0",
    registers,
    async collect() {
      this.set(
        await backlogOnce().then(
          () => 1,
          () => 0,
        ),
      );
    },
  });
  backlogGauge(
    { name: 'baton_backlog_oldest_age_seconds', help: 'Age of the oldest pending event (0 when none)' },
    (b) => (b.oldestAgeMs === null ? 0 : b.oldestAgeMs / 1000),
  );
  return m;
}

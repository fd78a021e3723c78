import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The worker's Prometheus metrics, registered on the given registry. */
export interface WorkerMetrics {
  eventsHandled: Counter<'type' | 'outcome'>;
  handlerSeconds: Histogram<'type'>;
  retries: Counter<'type'>;
  dlqAdds: Counter<'stage' | 'reason'>;
  replies: Counter<'outcome'>;
  replyRecoveryReads: Counter<'outcome'>;
  replyRecoveryPages: Counter<never>;
  lateEvents: Counter<'type'>;
  sendThrottled: Counter<never>;
  sendThrottledSeconds: Counter<never>;
  drains: Counter<'outcome'>;
  fencedAcks: Counter<never>;
  tasks: Counter<'outcome'>;
  activeDrains: Gauge<never>;
  redisUnavailableAttempts: Counter<'type'>;
  waitingForRedis: Gauge<never>;
  redisWaitSeconds: Counter<never>;
}

export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  const registers = [registry];
  return {
    eventsHandled: new Counter({
      name: 'baton_worker_events_handled_total',
      help: 'Events taken off a mailbox, by event type and outcome (handled, dead_lettered, duplicate, invalid)',
      labelNames: ['type', 'outcome'],
      registers,
    }),
    handlerSeconds: new Histogram({
      name: 'baton_worker_handler_duration_seconds',
      help: 'Duration of one handler attempt (bot.handle), by event type',
      labelNames: ['type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    retries: new Counter({
      name: 'baton_worker_handler_retries_total',
      help: 'Handler attempts that failed and were retried in place',
      labelNames: ['type'],
      registers,
    }),
    dlqAdds: new Counter({
      name: 'baton_worker_dlq_adds_total',
      help: 'Events added to the dead-letter queue, by stage and reason',
      labelNames: ['stage', 'reason'],
      registers,
    }),
    replies: new Counter({
      name: 'baton_worker_replies_total',
      help: 'Replies by outcome: posted, skipped-done (already posted), recovered (found by the post-crash read)',
      labelNames: ['outcome'],
      registers,
    }),
    replyRecoveryReads: new Counter({
      name: 'baton_worker_reply_recovery_reads_total',
      help: 'Recovery reads of a stream (a retry found a started reply mark), by outcome: found, absent, truncated (page bound hit: posted, may be doubled)',
      labelNames: ['outcome'],
      registers,
    }),
    replyRecoveryPages: new Counter({
      name: 'baton_worker_reply_recovery_pages_total',
      help: 'Message-list pages (of up to 500) read by reply recovery reads',
      registers,
    }),
    lateEvents: new Counter({
      name: 'baton_worker_late_events_total',
      help: 'Events delivered flagged late (ctx.late): newer events of their stream had been handled before them',
      labelNames: ['type'],
      registers,
    }),
    sendThrottled: new Counter({
      name: 'baton_worker_send_throttled_total',
      help: 'Sends that waited for the per-stream send limiter',
      registers,
    }),
    sendThrottledSeconds: new Counter({
      name: 'baton_worker_send_throttled_seconds_total',
      help: 'Time sends spent waiting for the per-stream send limiter',
      registers,
    }),
    drains: new Counter({
      name: 'baton_worker_drains_total',
      help: 'Drain jobs by outcome: empty, drained, yielded (K reached, re-scheduled), fenced, stopping',
      labelNames: ['outcome'],
      registers,
    }),
    fencedAcks: new Counter({
      name: 'baton_worker_fenced_acks_total',
      help: 'Acks refused because a newer drainer took the stream over (this drainer stopped)',
      registers,
    }),
    tasks: new Counter({
      name: 'baton_worker_tasks_total',
      help: 'Scheduled tasks run, by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    activeDrains: new Gauge({
      name: 'baton_worker_active_drains',
      help: 'Drain jobs currently running in this process',
      registers,
    }),
    redisUnavailableAttempts: new Counter({
      name: 'baton_worker_redis_unavailable_attempts_total',
      help: "Handler attempts that failed because Baton's Redis was unavailable: not counted as attempts, the event waited for Redis and was tried again",
      labelNames: ['type'],
      registers,
    }),
    waitingForRedis: new Gauge({
      name: 'baton_worker_waiting_for_redis',
      help: "Drains currently waiting for Baton's Redis to answer again (the worker is not ready meanwhile)",
      registers,
    }),
    redisWaitSeconds: new Counter({
      name: 'baton_worker_redis_wait_seconds_total',
      help: "Time drains spent waiting for Baton's Redis to answer again",
      registers,
    }),
  };
}

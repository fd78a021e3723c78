import type { LiveWorker } from '../../src/status/dashboard-status.ts';

/** A live worker as the status reader lists it: no host, pid or counters unless `over` gives them. */
export function liveWorker(over: Pick<LiveWorker, 'id' | 'beatAt'> & Partial<LiveWorker>): LiveWorker {
  return {
    host: null,
    pid: null,
    startedAt: null,
    concurrency: null,
    bot: { id: 'bot', fingerprint: '0123456789ab', commands: 1 },
    stats: {},
    latency: null,
    ...over,
  };
}

import type { FastifyInstance } from 'fastify';
import type { SimStats, SimulatorControl } from '../types.ts';

interface SimMetric {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  /** Samples: label set (may be empty) → value. */
  samples(stats: SimStats): [Record<string, string>, number][];
}

const live = (s: SimStats) => s.feeds.filter((f) => !f.expired);

/** The simulator's figures (`/_sim/stats`) as Prometheus metrics; no per-feed or per-stream labels. */
const SIM_METRICS: SimMetric[] = [
  {
    name: 'baton_sim_messages_created_total',
    type: 'counter',
    help: 'Messages created in the simulated pod (by users, bots and the control API)',
    samples: (s) => [[{}, s.messagesCreated]],
  },
  {
    name: 'baton_sim_events_published_total',
    type: 'counter',
    help: 'Events published to the datafeeds',
    samples: (s) => [[{}, s.eventsPublished]],
  },
  {
    name: 'baton_sim_feeds',
    type: 'gauge',
    help: 'Live (not expired) datafeeds',
    samples: (s) => [[{}, live(s).length]],
  },
  {
    name: 'baton_sim_feeds_expired_total',
    type: 'counter',
    help: 'Datafeeds expired or deleted',
    samples: (s) => [[{}, s.feedsExpired]],
  },
  {
    name: 'baton_sim_feed_unread_events',
    type: 'gauge',
    help: 'Events waiting in the live datafeeds, not yet delivered',
    samples: (s) => [[{}, live(s).reduce((n, f) => n + f.unread, 0)]],
  },
  {
    name: 'baton_sim_feed_redelivered_total',
    type: 'counter',
    help: 'Events the v2 datafeeds delivered again (a batch not acknowledged in time)',
    samples: (s) => [[{}, s.feeds.reduce((n, f) => n + f.redelivered, 0)]],
  },
  {
    name: 'baton_sim_requests_total',
    type: 'counter',
    help: 'HTTP requests served, by route template (METHOD /path/:param)',
    samples: (s) => Object.entries(s.requests).map(([route, n]) => [{ route }, n]),
  },
];

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** Prometheus text exposition (version 0.0.4) of the simulator's stats. */
export function renderSimMetrics(stats: SimStats): string {
  const lines: string[] = [];
  for (const m of SIM_METRICS) {
    lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    for (const [labels, value] of m.samples(stats)) {
      const set = Object.entries(labels)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(',');
      lines.push(`${m.name}${set ? `{${set}}` : ''} ${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `GET /_sim/metrics`: the simulator's stats for a Prometheus scrape (the JSON twin is `/_sim/stats`). */
export function registerMetricsRoute(app: FastifyInstance, control: SimulatorControl): void {
  app.get('/_sim/metrics', async (_req, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderSimMetrics(control.stats())),
  );
}

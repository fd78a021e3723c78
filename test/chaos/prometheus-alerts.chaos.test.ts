import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readRepoFile } from '../support/compose-files.ts';
import { type PipelineStack, startPipelineStack } from '../support/pipeline-stack.ts';
import { hasPrometheus, startTestPrometheus, type TestPrometheus } from '../support/test-prometheus.ts';

// A real Prometheus (Debian's `prometheus` package; .ci/run installs it) scrapes the running stack's ops ports on
// loopback every second and evaluates deploy/prometheus/alerts.yml and recording-rules.yml. The drill stops every
// worker while commands keep arriving and reads, through Prometheus's own API, two alerts go pending then firing:
//
// - BatonNoLiveWorkers (no worker scraped; `for: 1m`, unchanged);
// - BatonBacklogOldestAgeWarning (oldest pending event older than 30 s; `for: 2m`). The full size
//   (`CHAOS_SIZE=full`) loads alerts.yml unchanged: firing ≈ 2.5 min after the workers stop. The reduced size (CI)
//   loads a copy in which only this alert's `for` is shortened to 20 s (threshold unchanged): firing ≈ 50 s after.
//
// Then it starts the workers again and sees both resolve (no longer active, `ALERTS` empty for them).
// Test-harness switch, not service configuration: the one place this drill reads the environment.
const full = process.env.CHAOS_SIZE === 'full';
const BACKLOG_ALERT = 'BatonBacklogOldestAgeWarning';
const WORKERS_ALERT = 'BatonNoLiveWorkers';
const DRILL_BACKLOG_FOR = '20s';
/** Prometheus' API is polled every 500 ms, a failed call counting as not yet. */
const API_POLL = { everyMs: 500, throwsAsNotYet: true };

/** alerts.yml as the drill loads it: unchanged (full), or the backlog alert's `for` shortened (reduced). */
function drillAlerts(): string {
  const text = readRepoFile('deploy/prometheus/alerts.yml');
  if (full) return text;
  const doc = parse(text) as { groups: { rules: { alert?: string; for?: string }[] }[] };
  const rule = doc.groups.flatMap((g) => g.rules).find((r) => r.alert === BACKLOG_ALERT);
  if (!rule) throw new Error(`${BACKLOG_ALERT} not in alerts.yml`);
  rule.for = DRILL_BACKLOG_FOR;
  return stringify(doc);
}

let stack: PipelineStack | undefined;
let prometheus: TestPrometheus | undefined;

beforeAll(async () => {
  if (!hasPrometheus) return;
  stack = await startPipelineStack({ rooms: 4, users: 8, ingesters: 1, workers: 2, opsPorts: true });
  const target = (name: string) => `127.0.0.1:${stack?.opsPorts[name]}`;
  prometheus = await startTestPrometheus({
    jobs: {
      'baton-ingester': [target('ingester-1')],
      'baton-worker': [target('worker-1'), target('worker-2')],
    },
    rules: {
      'alerts.yml': drillAlerts(),
      'recording-rules.yml': readRepoFile('deploy/prometheus/recording-rules.yml'),
    },
  });
}, 180_000);

afterAll(async () => {
  await prometheus?.close();
  await stack?.close();
}, 60_000);

describe.skipIf(!hasPrometheus)(
  `Prometheus alerts on the running stack (${full ? 'full' : 'reduced'})`,
  () => {
    it('workers stopped: the backlog and no-worker alerts go pending then firing; workers back: both resolve', async () => {
      const s = stack!;
      const p = prometheus!;
      // Every target is scraped and the rules see the stack as healthy first.
      await waitFor(
        'every target up',
        async () => {
          const t = await p.targets();
          return t.length === 3 && t.every((x) => x.health === 'up');
        },
        60_000,
        API_POLL,
      );
      await waitFor(
        'the live-workers recording rule',
        async () => {
          const r = await p.query('baton:live_workers:count');
          return r[0]?.value === 2;
        },
        30_000,
        API_POLL,
      );
      // Each replica is told apart by its own id (honor_labels), and the ingester has the Node process metrics.
      const instances = async (expr: string) =>
        (await p.query(expr)).map((r) => `${r.metric.service}/${r.metric.instance}`).sort();
      expect(await instances('baton_worker_active_drains')).toEqual(['worker/worker-1', 'worker/worker-2']);
      expect(await instances('nodejs_eventloop_lag_p99_seconds{service="ingester"}')).toEqual([
        'ingester/ingester-1',
      ]);
      const active = async () => new Map((await p.alerts()).map((a) => [a.labels.alertname, a.state]));
      expect((await active()).get(BACKLOG_ALERT)).toBeUndefined();
      expect((await active()).get(WORKERS_ALERT)).toBeUndefined();

      const stoppedAt = Date.now();
      await Promise.all(s.workers.map((w) => w.kill('SIGTERM')));
      // Commands keep arriving while no worker runs: the backlog grows and ages.
      for (const [i, room] of s.rooms.entries()) s.say(room, `@${s.bot.username} /echo held-${i}`);

      const seen: Record<string, { pending?: number; firing?: number; resolved?: number }> = {
        [BACKLOG_ALERT]: {},
        [WORKERS_ALERT]: {},
      };
      const track = async () => {
        const now = await active();
        for (const [name, times] of Object.entries(seen)) {
          const state = now.get(name);
          const t = Math.round((Date.now() - stoppedAt) / 1000);
          if (state === 'pending' && times.pending === undefined) times.pending = t;
          if (state === 'firing' && times.firing === undefined) {
            times.firing = t;
            times.pending ??= t;
          }
        }
        return now;
      };
      const firingWithin = full ? 240_000 : 120_000;
      await waitFor(
        'both alerts firing',
        async () => {
          const now = await track();
          return now.get(BACKLOG_ALERT) === 'firing' && now.get(WORKERS_ALERT) === 'firing';
        },
        firingWithin,
        API_POLL,
      );
      // Prometheus saw what the alert says: the oldest event waited more than 30 s, and no worker was scraped.
      const age = await p.query('baton:backlog_oldest_age_seconds:max');
      expect(age[0]?.value).toBeGreaterThan(30);
      expect(await p.query('baton_worker_active_drains')).toEqual([]);

      const restartedAt = Date.now();
      await Promise.all(s.workers.map((w) => s.startWorker(w)));
      await waitFor(
        'both alerts resolved',
        async () => {
          const now = await active();
          for (const [name, times] of Object.entries(seen)) {
            if (!now.has(name) && times.resolved === undefined)
              times.resolved = Math.round((Date.now() - restartedAt) / 1000);
          }
          return !now.has(BACKLOG_ALERT) && !now.has(WORKERS_ALERT);
        },
        90_000,
        API_POLL,
      );
      expect(await p.query(`ALERTS{alertname=~"${BACKLOG_ALERT}|${WORKERS_ALERT}"}`)).toEqual([]);
      // The held commands are answered, once each, now that the workers are back (the backlog alert resolves as
      // soon as the oldest event is no older than 30 s, which can be before the last reply is posted).
      const held = () =>
        s.rooms.map((room, i) => s.botMessages(room).filter((m) => m.text === `held-${i}`).length);
      await waitFor(
        'the held commands answered',
        async () => held().every((n) => n > 0),
        60_000,
        API_POLL,
      ).catch((err: unknown) => {
        throw new Error(
          `${String(err)}; replies per room: ${held().join(',')}\n${s.allLogLines().slice(-30).join('\n')}`,
        );
      });
      await sleep(1_000);
      for (const [i, room] of s.rooms.entries()) {
        expect(s.botMessages(room).filter((m) => m.text === `held-${i}`)).toHaveLength(1);
      }
      console.log(
        [
          `\nPrometheus alert drill (${full ? `alerts.yml unchanged` : `${BACKLOG_ALERT} for: ${DRILL_BACKLOG_FOR}`}), seconds:`,
          ...Object.entries(seen).map(
            ([name, t]) =>
              `  ${name}: pending ${t.pending} s, firing ${t.firing} s after the workers stopped; resolved ${t.resolved} s after they restarted`,
          ),
        ].join('\n'),
      );
      const backlog = seen[BACKLOG_ALERT]!;
      const workers = seen[WORKERS_ALERT]!;
      // Pending, then firing no sooner than its `for` (20 s here, 2 min in alerts.yml).
      expect(backlog.pending).toBeGreaterThanOrEqual(30);
      expect((backlog.firing ?? 0) - (backlog.pending ?? 0)).toBeGreaterThanOrEqual(full ? 110 : 15);
      expect(workers.firing).toBeGreaterThanOrEqual(55);
    }, 600_000);
  },
);

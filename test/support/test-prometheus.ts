import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@baton/shared';
import { waitFor } from '@baton/testing';

/** Whether Debian's `prometheus` package (the server binary) is installed. */
export const hasPrometheus = (() => {
  const probe = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
  return !probe.error && probe.status === 0;
})();

export interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export interface TestPrometheus {
  url: string;
  /** The active (pending or firing) alerts, from `GET /api/v1/alerts`. */
  alerts(): Promise<PrometheusAlert[]>;
  /** An instant query (`GET /api/v1/query`): the vector's samples as label sets and numbers. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  /** The scrape targets' health, from `GET /api/v1/targets`. */
  targets(): Promise<{ job: string; instance: string; health: string }[]>;
  close(): Promise<void>;
}

export interface TestPrometheusOptions {
  /**
   * `job_name` → `host:port` targets, all scraped every `intervalSeconds` with `honor_labels: true` (the replica
   * ids the services put in `instance` are kept, as docs/metrics.md suggests).
   */
  jobs: Record<string, string[]>;
  /** Rule files: name → YAML text (written next to the config). */
  rules: Record<string, string>;
  /** Scrape and rule evaluation interval (default 1 s). */
  intervalSeconds?: number;
}

/**
 * A real Prometheus server (Debian's `prometheus`, on 127.0.0.1, TSDB in a temporary folder) scraping the given
 * loopback targets and evaluating the given rules. `close()` stops it (SIGTERM, then SIGKILL) and removes it all.
 */
export async function startTestPrometheus(opts: TestPrometheusOptions): Promise<TestPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-prometheus-'));
  const interval = `${opts.intervalSeconds ?? 1}s`;
  const ruleFiles = Object.keys(opts.rules);
  for (const [name, text] of Object.entries(opts.rules)) await writeFile(join(dir, name), text);
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    rule_files: ruleFiles,
    scrape_configs: Object.entries(opts.jobs).map(([job, targets]) => ({
      job_name: job,
      honor_labels: true,
      static_configs: [{ targets }],
    })),
  };
  // JSON is YAML: no serializer needed.
  await writeFile(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const close = async () => {
    if (running()) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
      if (running()) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  try {
    await waitFor(
      'prometheus to be ready',
      async () => {
        if (!running()) throw new Error(`prometheus exited: ${stderr}`);
        const res = await fetch(`${url}/-/ready`).catch(() => undefined);
        return res?.ok === true;
      },
      30_000,
    );
  } catch (err) {
    await close();
    throw err;
  }
  return {
    url,
    async alerts() {
      return (await api<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts;
    },
    async query(expr) {
      const data = await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async targets() {
      const data = await api<{
        activeTargets: { labels: Record<string, string>; health: string }[];
      }>('/api/v1/targets');
      return data.activeTargets.map((t) => ({
        job: t.labels.job ?? '',
        instance: t.labels.instance ?? '',
        health: t.health,
      }));
    },
    close,
  };
}

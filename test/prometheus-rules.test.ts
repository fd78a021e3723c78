import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIngesterMetrics } from '@baton/ingester/internals';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, readRepoFile } from './support/compose-files.ts';

// deploy/prometheus: the alert and recording rules, checked and unit-tested by Prometheus's own promtool (Debian's
// `prometheus` package; .ci/run installs it), and tied to the metrics the services really export and to the docs.

const RULES_DIR = join(ROOT, 'deploy/prometheus');
const RULE_FILES = ['alerts.yml', 'recording-rules.yml'];
const TEST_FILES = readdirSync(join(RULES_DIR, 'tests'))
  .filter((f) => f.endsWith('.test.yml'))
  .map((f) => join('tests', f));

const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const hasPromtool = !probe.error && probe.status === 0;
const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';

const promtool = (args: string[], cwd = RULES_DIR) =>
  spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  annotations?: Record<string, string>;
}
const rulesOf = (file: string): Rule[] =>
  (parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
    (g) => g.rules,
  );
const alerts = rulesOf('alerts.yml');
const records = rulesOf('recording-rules.yml');

describe('promtool', () => {
  it.skipIf(hasPromtool || inCi)(
    'is not installed (apt-get install prometheus): the promtool checks are skipped',
    () => {},
  );
  it.runIf(inCi)('is installed in CI (.ci/run installs Debian’s prometheus package)', () => {
    expect(hasPromtool, probe.error?.message ?? probe.stderr).toBe(true);
  });
});

describe.skipIf(!hasPromtool)('promtool on deploy/prometheus', () => {
  it('check rules: both files are valid', () => {
    const result = promtool(['check', 'rules', ...RULE_FILES]);
    expect(result.stdout + result.stderr).toMatch(/SUCCESS: \d+ rules found[\s\S]*SUCCESS: \d+ rules found/);
    expect(result.status).toBe(0);
  });

  it('test rules: every unit test passes', () => {
    expect(TEST_FILES.length).toBeGreaterThan(0);
    const result = promtool(['test', 'rules', ...TEST_FILES]);
    expect(result.stdout + result.stderr).not.toMatch(/FAILED/);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it('the unit tests can fail: sum() instead of max() over the replicas is caught', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-rules-'));
    try {
      cpSync(RULES_DIR, dir, { recursive: true });
      const text = readFileSync(join(dir, 'alerts.yml'), 'utf8');
      const broken = text.replace(
        'max by (namespace) (baton_backlog_oldest_age_seconds) > 30',
        'sum by (namespace) (baton_backlog_oldest_age_seconds) > 30',
      );
      expect(broken).not.toBe(text);
      writeFileSync(join(dir, 'alerts.yml'), broken);
      const result = promtool(['test', 'rules', ...TEST_FILES], dir);
      expect(result.status).not.toBe(0);
      expect(result.stdout + result.stderr).toMatch(/max, never sum/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the rules and their tests', () => {
  interface UnitTest {
    alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
  }
  const cases = TEST_FILES.flatMap(
    (f) => (parse(readFileSync(join(RULES_DIR, f), 'utf8')) as { tests: UnitTest[] }).tests,
  ).flatMap((t) => t.alert_rule_test ?? []);

  it('every alert has a unit test where it fires and one where it must not', () => {
    const names = alerts.map((a) => a.alert as string);
    expect(names.length).toBeGreaterThanOrEqual(10);
    const fires = new Set(cases.filter((c) => (c.exp_alerts ?? []).length > 0).map((c) => c.alertname));
    const quiet = new Set(cases.filter((c) => (c.exp_alerts ?? []).length === 0).map((c) => c.alertname));
    expect(names.filter((n) => !fires.has(n))).toEqual([]);
    expect(names.filter((n) => !quiet.has(n))).toEqual([]);
    // And no test names an alert that does not exist.
    expect([...fires, ...quiet].filter((n) => !names.includes(n))).toEqual([]);
  });

  it('every metric the rules use is exported by the code and documented in docs/metrics.md', () => {
    const sources = [
      readRepoFile('services/ingester/src/ingester-metrics.ts'),
      readRepoFile('services/worker/src/runtime/worker-metrics.ts'),
    ].join('\n');
    const metricsDoc = readRepoFile('docs/metrics.md');
    const used = new Set(
      [...alerts, ...records]
        .flatMap((r) => [...r.expr.matchAll(/\bbaton_[a-z_]+\b/g)].map((m) => m[0]))
        .map((name) => name.replace(/_(bucket|sum|count)$/, '')),
    );
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) {
      expect(sources, `${name} is exported`).toContain(`name: '${name}'`);
      expect(metricsDoc, `${name} is documented`).toContain(`\`${name}\``);
    }
  });

  it('every alert is in the alerts table of docs/operations.md, and every runbook link resolves', () => {
    const operations = readRepoFile('docs/operations.md');
    const section = operations.slice(
      operations.indexOf('## Alerts'),
      operations.indexOf('\n## ', operations.indexOf('## Alerts') + 3),
    );
    const slugs = new Set(
      [...operations.matchAll(/^#+ (.+)$/gm)].map((m) =>
        (m[1] as string)
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const alert of alerts) {
      expect(section, alert.alert).toContain(`\`${alert.alert}\``);
      const runbook = alert.annotations?.['runbook'] ?? '';
      expect(runbook, alert.alert).toMatch(/^docs\/operations\.md#/);
      expect(slugs, `${alert.alert}: ${runbook}`).toContain(runbook.split('#')[1]);
    }
  });
});

describe('baton_ingester_redis_up (what BatonRedisUnreachable reads)', () => {
  const scrape = async (
    backlog: () => Promise<{ pending: number; streams: number; oldestAgeMs: number | null }>,
  ) => {
    const metrics = createIngesterMetrics({ backlog, lastReadAgeMs: () => null });
    const text = await metrics.registry.metrics();
    return Number(/^baton_ingester_redis_up (\S+)$/m.exec(text)?.[1]);
  };

  it('is 1 when the backlog read answers, 0 when it fails or takes over 1 s', async () => {
    expect(await scrape(async () => ({ pending: 3, streams: 1, oldestAgeMs: 1_500 }))).toBe(1);
    expect(await scrape(() => Promise.reject(new Error('Connection is closed.')))).toBe(0);
    expect(await scrape(() => new Promise(() => {}))).toBe(0);
  });
});

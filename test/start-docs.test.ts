import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/metrics.md and docs/grafana/baton.json must follow the metrics the services actually define.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'testing' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every `name: 'baton_…'` a prom-client metric is created with under services/ and packages/ sources. */
function definedMetrics(): string[] {
  const names = new Set<string>();
  for (const base of ['services', 'packages']) {
    for (const pkg of readdirSync(join(root, base))) {
      const src = join(root, base, pkg, 'src');
      if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const file of sourceFiles(src)) {
        for (const m of readFileSync(file, 'utf8').matchAll(/name:\s*'(baton_[a-z0-9_]+)'/g))
          names.add(m[1] as string);
      }
    }
  }
  return [...names].sort();
}

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
  gridPos: { x: number; y: number; w: number; h: number };
}

describe('metrics docs', () => {
  const metricsDoc = read('docs/metrics.md');
  const documented = new Set([...metricsDoc.matchAll(/`(baton_[a-z0-9_]+)`/g)].map((m) => m[1] as string));

  it('documents every metric the services define, and none they do not', () => {
    const defined = definedMetrics();
    expect(defined.length).toBeGreaterThan(20);
    expect(defined.filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !defined.includes(name))).toEqual([]);
  });

  it('ships a Grafana dashboard that parses and only queries documented metrics', () => {
    const dashboard = JSON.parse(read('docs/grafana/baton.json')) as {
      title: string;
      uid: string;
      panels: Panel[];
    };
    expect(dashboard.title).toBe('Baton');
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(20);
    const used = new Set(
      exprs.flatMap((e) =>
        [...e.matchAll(/\b(baton_[a-z0-9_]+?)(?:_bucket|_sum|_count)?\b(?=[{[(\s)]|$)/g)].map(
          (m) => m[1] as string,
        ),
      ),
    );
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
    // Panels do not overlap on Grafana's 24-column grid.
    const cells = new Set<string>();
    for (const { gridPos: g, title } of dashboard.panels) {
      expect(g.x + g.w, title).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});

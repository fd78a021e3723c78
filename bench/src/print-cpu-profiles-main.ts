import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatTable } from './report/format-table.ts';

// `tsx bench/src/print-cpu-profiles-main.ts <dir>`: self time by package and the top functions of each
// V8 CPU profile written by `pnpm bench --cpu-prof <dir>` (one file per spawned process).
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Groups a script URL: a pnpm package name, a workspace package, node internals, or the V8 pseudo-frames. */
function packageOf(url: string, fn: string): string {
  if (!url) return `(${fn || 'native'})`;
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm?.[1]) return pnpm[1];
  const ws =
    /\/work\/main\/([^/]+\/[^/]+)\//.exec(url) ?? /\/(packages\/[^/]+|services\/[^/]+|bench)\//.exec(url);
  if (ws?.[1]) return ws[1];
  if (url.startsWith('node:')) return 'node internals';
  return url.split('/').slice(-2).join('/');
}

const dir = resolve(process.argv[2] ?? '.');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${pkg}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1)}%`;
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => [k, Math.round(us / 1000), pct(us)]);
  const wall = (profile.endTime - profile.startTime) / 1e6;
  console.log(`\n## ${file}: ${wall.toFixed(1)} s profiled\n`);
  console.log(formatTable(['package', 'self ms', 'share'], top(byPackage, 12)));
  console.log('');
  console.log(formatTable(['function', 'self ms', 'share'], top(byFunction, 12)));
}

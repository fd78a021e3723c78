import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Requests/s per command from `redis-benchmark --csv` against one Redis (the physical reference). */
export async function redisBenchmark(
  port: number,
  opts: { requests: number; clients: number; pipeline?: number; tests?: string[] },
): Promise<Record<string, number>> {
  const args = [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-n',
    String(opts.requests),
    '-c',
    String(opts.clients),
    '-P',
    String(opts.pipeline ?? 1),
    '-t',
    (opts.tests ?? ['set', 'lpush']).join(','),
    '--csv',
  ];
  const { stdout } = await run('redis-benchmark', args, { timeout: 120_000 });
  const out: Record<string, number> = {};
  for (const line of stdout.split('\n')) {
    const cells = line.split(',').map((c) => c.replace(/"/g, ''));
    const name = cells[0];
    const rps = Number(cells[1]);
    if (name && name !== 'test' && Number.isFinite(rps)) out[name.toLowerCase()] = Math.round(rps);
  }
  return out;
}

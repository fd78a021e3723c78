import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/** Whether a `redis-server` binary is on the PATH (its version line, or undefined). */
export function redisServerVersion(): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 5_000 });
  if (probe.error || probe.status !== 0) return undefined;
  return probe.stdout.trim();
}

/** What to tell a developer who has neither redis-server nor REDIS_URL. */
export const NO_REDIS_HELP = [
  'baton dev needs Redis 6.2 or newer, and found neither REDIS_URL nor a redis-server on the PATH.',
  'Either install Redis:',
  '  Debian/Ubuntu: sudo apt-get install redis-server',
  '  macOS:         brew install redis',
  '  Fedora/RHEL:   sudo dnf install redis',
  'or point Baton at an existing Redis, in the shell or in .env:',
  '  REDIS_URL=redis://127.0.0.1:6379 baton dev',
].join('\n');

/** Baton's LOG_LEVEL → redis-server's --loglevel. */
const REDIS_LOG_LEVELS: Record<string, string> = { trace: 'verbose', debug: 'verbose', info: 'notice' };

/**
 * The redis-server command line of the development stack: loopback only, data and AOF under `dir` (so the
 * mailboxes survive a restart of the stack), `noeviction` (mailboxes are data, not cache), no RDB snapshots.
 */
export function redisServerArgs(port: number, dir: string, logLevel: string): string[] {
  mkdirSync(dir, { recursive: true });
  return [
    '--loglevel',
    REDIS_LOG_LEVELS[logLevel] ?? 'warning',
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--protected-mode',
    'yes',
  ];
}

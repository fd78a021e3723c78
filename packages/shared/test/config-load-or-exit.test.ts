import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigOrExit } from '../src/config/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function hooks() {
  const written: string[] = [];
  return {
    written,
    write: (text: string) => void written.push(text),
    exit: (code: number): never => {
      throw new Exited(code);
    },
  };
}

describe('loadConfigOrExit', () => {
  it('returns the loaded config', () => {
    const h = hooks();
    expect(loadConfigOrExit(() => ({ a: 1 }), { service: 'x', ...h })).toEqual({ a: 1 });
    expect(h.written).toEqual([]);
  });

  it('writes a ConfigError message (no stack) and exits with 2', () => {
    const h = hooks();
    const bad = new ConfigError('Invalid configuration for svc:\n  - FOO: expected a positive integer', [
      { variable: 'FOO', problem: 'expected a positive integer' },
    ]);
    let caught: unknown;
    try {
      loadConfigOrExit(
        () => {
          throw bad;
        },
        { service: 'svc', ...h },
      );
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Exited);
    expect((caught as Exited).code).toBe(2);
    expect(h.written).toEqual([`${bad.message}\n`]);
  });

  it('names the service when the message does not', () => {
    const h = hooks();
    expect(() =>
      loadConfigOrExit(
        () => {
          throw new ConfigError('  - FOO: bad', []);
        },
        { service: 'svc', ...h },
      ),
    ).toThrow(Exited);
    expect(h.written[0]).toBe('svc:   - FOO: bad\n');
  });

  it('rethrows any other error untouched', () => {
    const h = hooks();
    const boom = new TypeError('boom');
    expect(() =>
      loadConfigOrExit(
        () => {
          throw boom;
        },
        { service: 'svc', ...h },
      ),
    ).toThrow(boom);
    expect(h.written).toEqual([]);
  });
});

/** Runs `tsx <entry>` with only PATH/HOME and `env`; resolves with its exit code and output. */
function run(entry: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
    const packageDir = entry.split('/').slice(0, 2).join('/');
    const child = spawn(
      process.execPath,
      ['--conditions=@baton/source', '--import', 'tsx', join(ROOT, entry)],
      {
        cwd: join(ROOT, packageDir),
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('every process entry stops on a bad variable with exit code 2 and a plain message', () => {
  const cases: { name: string; entry: string; env: Record<string, string>; variable: string }[] = [
    {
      name: 'ingester',
      entry: 'services/ingester/src/main.ts',
      env: { LEADER_LEASE_MS: 'soon' },
      variable: 'LEADER_LEASE_MS',
    },
    {
      name: 'worker',
      entry: 'services/worker/src/main.ts',
      env: { WORKER_CONCURRENCY: 'many' },
      variable: 'WORKER_CONCURRENCY',
    },
    {
      name: 'pnpm dlq',
      entry: 'services/worker/src/cli/dlq.ts',
      env: { REDIS_URL: 'http://not-redis' },
      variable: 'REDIS_URL',
    },
    {
      name: 'dashboard',
      entry: 'services/dashboard/src/main.ts',
      env: { DASHBOARD_PORT: 'eighty' },
      variable: 'DASHBOARD_PORT',
    },
    {
      name: 'pod-simulator',
      entry: 'packages/pod-simulator/src/main.ts',
      env: { SIM_PORT: 'none' },
      variable: 'SIM_PORT',
    },
  ];

  for (const c of cases) {
    it(c.name, { timeout: 40_000 }, async () => {
      const r = await run(c.entry, c.env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(c.variable);
      expect(r.stderr).toMatch(/Invalid configuration/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stdout).toBe('');
    });
  }
});

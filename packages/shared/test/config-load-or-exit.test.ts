import { join } from 'node:path';
import { runNode, WORKSPACE_ROOT } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigOrExit } from '../src/config/index.ts';

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

/** Runs the TypeScript `entry` (from the repository root) in its package's folder with only PATH/HOME and `env`. */
function run(entry: string, env: Record<string, string>, args: string[] = []) {
  const packageDir = entry.split('/').slice(0, 2).join('/');
  return runNode(
    { name: entry, entry: join(WORKSPACE_ROOT, entry), args, cwd: join(WORKSPACE_ROOT, packageDir), env },
    25_000,
  );
}

describe('every process entry stops on a bad variable with exit code 2 and a plain message', () => {
  const cases: {
    name: string;
    entry: string;
    env: Record<string, string>;
    variable: string;
    /** A valid command line, so that the configuration is what fails (the DLQ tool checks its arguments first). */
    args?: string[];
  }[] = [
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
      args: ['list'],
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
      const r = await run(c.entry, c.env, c.args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(c.variable);
      expect(r.stderr).toMatch(/Invalid configuration/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stdout).toBe('');
    });
  }
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { basicAuthOf, dashboardConfigSchema, loadConfig } from '../src/index.ts';

describe('loadConfig', () => {
  it('defaults to an unprotected dashboard on 127.0.0.1:3100 over the default Redis and prefix', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379',
      BATON_PREFIX: 'baton',
      DASHBOARD_PORT: 3100,
      DASHBOARD_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      MAILBOX_PARTITIONS: 16,
    });
    expect(c.DASHBOARD_TOKEN).toBeUndefined();
    expect(basicAuthOf(c)).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('coerces the port and splits basic auth at the first colon', () => {
    const c = loadConfig({ DASHBOARD_PORT: '8080', DASHBOARD_BASIC_AUTH: 'ops:a:b' });
    expect(c.DASHBOARD_PORT).toBe(8080);
    expect(basicAuthOf(c)).toEqual({ user: 'ops', password: 'a:b' });
  });

  it('reads the token from DASHBOARD_TOKEN_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dash-cfg-'));
    try {
      writeFileSync(join(dir, 'tok'), 'token-from-a-secret-file\n');
      expect(loadConfig({ DASHBOARD_TOKEN_FILE: join(dir, 'tok') }).DASHBOARD_TOKEN).toBe(
        'token-from-a-secret-file',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every bad variable and never echoes the token', () => {
    let error: unknown;
    try {
      loadConfig({
        DASHBOARD_PORT: 'x',
        DASHBOARD_BASIC_AUTH: 'nocolon',
        REDIS_URL: 'nope',
        BATON_PREFIX: 'a b',
        DASHBOARD_TOKEN: 'short-secret',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const vars = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(vars).toEqual([
      'BATON_PREFIX',
      'DASHBOARD_BASIC_AUTH',
      'DASHBOARD_PORT',
      'DASHBOARD_TOKEN',
      'REDIS_URL',
    ]);
    expect((error as Error).message).not.toContain('short-secret');
  });

  it('documents every variable', () => {
    for (const [key, field] of Object.entries(dashboardConfigSchema.shape)) {
      expect(field.description, key).toBeTruthy();
    }
  });
});

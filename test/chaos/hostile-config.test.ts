import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, runNode, testRsaKeyPair } from '@baton/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { scanForSecrets } from '../support/secret-scan.ts';
import { SERVICE_ENTRIES } from '../support/service-entries.ts';

// Services started with hostile configuration exit non-zero, name every bad variable, and never print a secret.
const pem = testRsaKeyPair().privateKeyPem;
const REDIS_PASSWORD = 'hunter2-redis-password-0123456789';
const NOT_A_KEY = 'not-a-pem-but-a-secret-SECRETVALUE-0123456789';
// Created at load time: the cases below are built when the file is collected.
const { path: dir, remove } = makeTempDir('baton-hostile-config-');
const keyFile = join(dir, 'bot.pem');
writeFileSync(keyFile, pem, { mode: 0o600 });

afterAll(remove);

interface Case {
  name: string;
  entry: string;
  env: Record<string, string>;
  /** Variables the error output must name. */
  names: string[];
  /** Values that must not appear in the output. */
  secrets: string[];
}

const base = () => ({
  SYMPHONY_POD_URL: 'http://127.0.0.1:9',
  SYMPHONY_BOT_USERNAME: 'bot',
  SYMPHONY_PRIVATE_KEY_FILE: keyFile,
  REDIS_URL: 'redis://127.0.0.1:9',
  OPS_PORT: '0',
});

const cases = (): Case[] => [
  {
    name: 'ingester: wrong types and enums everywhere',
    entry: SERVICE_ENTRIES.ingester,
    env: {
      ...base(),
      FEED_VERSION: 'v9',
      LEADER_LEASE_MS: '-5',
      DEDUP_TTL_SEC: 'forever',
      MAILBOX_PARTITIONS: '1e999',
      INGEST_OWN_MESSAGES: 'maybe',
      LOG_LEVEL: 'loud',
    },
    names: [
      'FEED_VERSION',
      'LEADER_LEASE_MS',
      'DEDUP_TTL_SEC',
      'MAILBOX_PARTITIONS',
      'INGEST_OWN_MESSAGES',
      'LOG_LEVEL',
    ],
    secrets: [pem],
  },
  {
    name: 'ingester: a secret that is not a key, a Redis URL with a password and the wrong scheme',
    entry: SERVICE_ENTRIES.ingester,
    env: {
      ...base(),
      SYMPHONY_PRIVATE_KEY_FILE: '',
      SYMPHONY_PRIVATE_KEY: NOT_A_KEY,
      REDIS_URL: `http://:${REDIS_PASSWORD}@127.0.0.1:6379`,
      BATON_PREFIX: 'has spaces {and} braces',
    },
    names: ['SYMPHONY_PRIVATE_KEY', 'REDIS_URL', 'BATON_PREFIX'],
    secrets: [NOT_A_KEY, REDIS_PASSWORD],
  },
  {
    name: 'worker: missing key file, bad URLs, out-of-range numbers',
    entry: SERVICE_ENTRIES.worker,
    env: {
      ...base(),
      SYMPHONY_PRIVATE_KEY_FILE: join(dir, 'missing.pem'),
      SYMPHONY_POD_URL: 'ftp://pod.example.com',
      WORKER_CONCURRENCY: 'abc',
      HANDLER_ATTEMPTS: '0',
      LOCK_DURATION_MS: '5',
    },
    names: [
      'SYMPHONY_PRIVATE_KEY_FILE',
      'SYMPHONY_POD_URL',
      'WORKER_CONCURRENCY',
      'HANDLER_ATTEMPTS',
      'LOCK_DURATION_MS',
      'BOT_MODULE',
    ],
    secrets: [],
  },
  {
    name: "worker: the bot's own variables are wrong (the reference bot parses them when it loads)",
    entry: SERVICE_ENTRIES.worker,
    env: {
      ...base(),
      BOT_MODULE: '@baton/reference-bot',
      MARKET_DATA_URL: 'not a url',
      BOT_COMMANDS_PER_MINUTE: 'lots',
    },
    names: ['MARKET_DATA_URL', 'BOT_COMMANDS_PER_MINUTE'],
    secrets: [pem],
  },
  {
    name: 'worker: BOT_MODULE names no module',
    entry: SERVICE_ENTRIES.worker,
    env: { ...base(), BOT_MODULE: './no/such/bot.js' },
    names: ['BOT_MODULE'],
    secrets: [pem],
  },
  {
    name: 'worker: valid key, everything else missing or empty',
    entry: SERVICE_ENTRIES.worker,
    env: {
      SYMPHONY_PRIVATE_KEY_FILE: keyFile,
      SYMPHONY_POD_URL: '',
      SYMPHONY_BOT_USERNAME: '',
      OPS_PORT: '99999',
    },
    names: ['SYMPHONY_POD_URL', 'SYMPHONY_BOT_USERNAME', 'OPS_PORT'],
    secrets: [pem],
  },
];

describe('hostile configuration', () => {
  it.each(cases().map((c) => [c.name, c] as const))(
    '%s: exits non-zero, names each variable, leaks nothing',
    async (_n, c) => {
      // Its output is all read once runNode resolves.
      const run = await runNode({ name: c.name, entry: c.entry, env: c.env }, 40_000);
      const out = run.lines.join('\n');
      expect(run.timedOut, out).toBe(false);
      expect(run.code, out).not.toBe(0);
      expect(run.code, out).not.toBeNull();
      for (const name of c.names) expect(out, name).toMatch(new RegExp(`\\b${name}\\b`));
      for (const secret of c.secrets) {
        expect(`${run.stdout}\n${run.stderr}`.includes(secret), 'a secret value is in the output').toBe(
          false,
        );
      }
      expect(scanForSecrets(run.lines, { tokens: [], privateKeyPem: pem })).toEqual([]);
    },
    45_000,
  );
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDeadLetters,
  createMailbox,
  type DeadLetters,
  freePort,
  hasLiveDrain,
  type Mailbox,
} from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { openTestQueue, uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { runNode } from '@baton/testing';
import type { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { runDlqCli } from '../src/cli/run-dlq-cli.ts';
import { runDlqCommand } from '../src/cli/run-dlq-command.ts';
import { writeStackRecord } from '../src/dev/stack-record.ts';

const prefix = uniquePrefix('dlq');
let mailbox: Mailbox;
let drainQueue: Queue;
let dlq: DeadLetters;

redisTest.beforeAll(async ({ redis }) => {
  mailbox = createMailbox(redis, { prefix });
  drainQueue = openTestQueue(redis, prefix, 'drain');
  dlq = createDeadLetters({ connection: redis, prefix, mailbox, drainQueue, dedupTtlSec: 600 });
});

afterAll(async () => {
  await dlq?.close();
  await drainQueue?.close();
});

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDlqCommand(argv, {
    deadLetters: dlq,
    out: (s) => out.push(s),
    err: (s) => err.push(s),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('dead letters and `pnpm dlq`', () => {
  it('adds idempotently (one entry per event key), lists, shows', async () => {
    const event = rawMessageSent({ streamId: 'S1', text: 'boom' });
    const entry = {
      stage: 'handle' as const,
      reason: 'handler failed after 3 attempts',
      streamId: 'S1',
      key: 'key-1',
      raw: event,
      error: { name: 'Error', message: 'boom' },
      attempts: 3,
    };
    const id = await dlq.add(entry);
    expect(await dlq.add(entry)).toBe(id);
    await dlq.add({
      stage: 'ingest',
      reason: 'invalid event: type',
      streamId: 'S2',
      key: 'key-2',
      raw: { type: 'X' },
    });
    expect(await dlq.count()).toBe(2);
    const list = await cli(['list']);
    expect(list.code).toBe(0);
    expect(list.out).toContain(id);
    expect(list.out).toMatch(/2 shown, 2 in the dead-letter queue/);
    const show = await cli(['show', id]);
    expect(JSON.parse(show.out)).toMatchObject({
      id,
      stage: 'handle',
      streamId: 'S1',
      key: 'key-1',
      attempts: 3,
      raw: event,
    });
    expect((await cli(['show', 'dl-nope'])).code).toBe(1);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  redisTest(
    'replay puts a handle-stage event at the tail of its mailbox and schedules a drain; ingest-stage is refused',
    async ({ redis }) => {
      await mailbox.enqueue(
        [{ key: 'earlier', streamId: 'S1', event: rawMessageSent({ streamId: 'S1', text: 'earlier' }) }],
        {
          dedupTtlSec: 600,
        },
      );
      const [handleEntry] = (await dlq.list()).filter((e) => e.data.stage === 'handle');
      const [ingestEntry] = (await dlq.list()).filter((e) => e.data.stage === 'ingest');
      const refused = await cli(['replay', ingestEntry!.id]);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/cannot be replayed/);
      const res = await cli(['replay', handleEntry!.id]);
      expect(res.code).toBe(0);
      expect(await mailbox.length('S1')).toBe(2);
      const head = await mailbox.peek('S1');
      expect(head?.key).toBe('earlier');
      expect(await hasLiveDrain(drainQueue, 'S1')).toBe(true);
      expect(await dlq.show(handleEntry!.id)).toBeUndefined();
      // the replayed entry is the tail, with the original event and a new key
      const tail = await redis.lindex(mailboxListKey('S1'), -1);
      expect(JSON.parse(tail!)).toMatchObject({ key: `key-1#replay-${handleEntry!.id}`, streamId: 'S1' });
    },
  );

  it('replay --all skips ingest-stage entries; drop removes them', async () => {
    await dlq.add({
      stage: 'handle',
      reason: 'r',
      streamId: 'S3',
      key: 'key-3',
      raw: rawMessageSent({ streamId: 'S3', text: 'x' }),
    });
    const all = await cli(['replay', '--all']);
    expect(all.out).toMatch(/replayed 1, skipped 1/);
    const [ingestEntry] = await dlq.list();
    expect((await cli(['drop', ingestEntry!.id])).code).toBe(0);
    expect(await dlq.count()).toBe(0);
    await dlq.add({ stage: 'ingest', reason: 'r', raw: 'junk' });
    const unconfirmed = await cli(['drop', '--all']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toMatch(/add --yes/);
    expect(await dlq.count()).toBe(1);
    expect((await cli(['drop', '--all', '--yes'])).out).toBe('dropped 1');
    expect(await dlq.count()).toBe(0);
  });

  redisTest('the `pnpm dlq` entry point works as a process', async ({ redisServer }) => {
    const id = await dlq.add({ stage: 'ingest', reason: 'from the process test', raw: 'junk-2' });
    const run = await runNode(
      {
        name: 'pnpm dlq list',
        entry: 'services/worker/src/cli/dlq.ts',
        args: ['list'],
        inheritEnv: true,
        env: { REDIS_URL: redisServer.url, BATON_PREFIX: prefix, LOG_LEVEL: 'silent' },
      },
      30_000,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(id);
    expect(run.stdout).toContain('from the process test');
  });
});

/** The variables that pick the Redis, unset unless a test sets them (whatever the outer environment holds). */
const NO_REDIS_ENV = {
  REDIS_URL: undefined,
  REDIS_SENTINELS: undefined,
  REDIS_CLUSTER_NODES: undefined,
  BATON_PREFIX: undefined,
  BATON_HOME: undefined,
  INIT_CWD: undefined,
  LOG_LEVEL: 'silent',
};

/** `pnpm dlq <args>` as a process. */
function dlqProcess(args: string[], env: Record<string, string | undefined>, timeoutMs = 30_000) {
  return runNode(
    {
      name: `pnpm dlq ${args.join(' ')}`,
      entry: 'services/worker/src/cli/dlq.ts',
      args,
      inheritEnv: true,
      env: { ...NO_REDIS_ENV, ...env },
    },
    timeoutMs,
  );
}

describe('`pnpm dlq` as a process', () => {
  it('--help prints the usage; a bad command line exits 2 with one line, before touching Redis', async () => {
    const help = await dlqProcess(['--help'], {});
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/usage: pnpm dlq <command>/);
    expect(help.stdout).toMatch(/--json/);
    expect((await dlqProcess(['list', '--help'], {})).stdout).toMatch(/usage: pnpm dlq/);
    for (const [args, message] of [
      [['list', '--limit', 'abc'], /--limit expects a whole number from 1 to 10000, got "abc"/],
      [['drop', '--all'], /add --yes/],
    ] as const) {
      const run = await dlqProcess([...args], { REDIS_URL: 'redis://127.0.0.1:1' });
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    // The rest of the parser in-process (same code path: runDlqCli parses before it connects).
    for (const [args, message] of [
      [['list', '--frobnicate'], /unknown option --frobnicate/],
      [['list', '--limit', '0'], /--limit expects a whole number from 1 to 10000, got "0"/],
      [['list', '--limit'], /option --limit needs a value/],
      [['show'], /missing the dead letter id/],
      [['show', 'a', 'b'], /unexpected argument b/],
      [['replay'], /missing the dead letter id \(or --all\)/],
      [['replay', 'dl-1', '--all'], /not both/],
      [['explode'], /unknown command explode/],
      [[], /missing the command/],
    ] as const) {
      const err: string[] = [];
      const code = await runDlqCli([...args], {
        env: { REDIS_URL: 'redis://127.0.0.1:1' },
        cwd: process.cwd(),
        out: () => {},
        err: (line) => err.push(line),
      });
      expect(code, `${args.join(' ')}: ${err.join('\n')}`).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(message);
      expect(err[0]).toMatch(/\(pnpm dlq --help\)$/);
    }
  });

  it('fails within seconds, exit 1, when its Redis is down, naming it without the password', async () => {
    const port = await freePort();
    const started = Date.now();
    const run = await dlqProcess(['list'], { REDIS_URL: `redis://:hunter2@127.0.0.1:${port}/0` }, 40_000);
    const tookMs = Date.now() - started;
    expect(run.timedOut).toBe(false);
    expect(run.code, run.stderr).toBe(1);
    // Generous: it gives up after 5 s; the rest is starting node + tsx on a loaded machine (it used to hang).
    expect(tookMs).toBeLessThan(25_000);
    expect(run.stderr).toContain(`reading redis://127.0.0.1:${port}/0, prefix baton (from REDIS_URL)`);
    expect(run.stderr).toMatch(
      new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port}/0 .*ECONNREFUSED`),
    );
    expect(run.stderr).not.toContain('hunter2');
  });

  redisTest(
    'reads the Redis and prefix a `baton dev` stack recorded when REDIS_URL is unset, and says so',
    async ({ redisServer }) => {
      const id = await dlq.add({
        stage: 'handle',
        reason: 'from the stack record test',
        streamId: 'SR',
        key: 'stack-record-key',
        raw: rawMessageSent({ streamId: 'SR', text: 'x' }),
        error: new TypeError('cannot read properties of undefined (token=abc123)'),
        attempts: 3,
      });
      const dir = await mkdtemp(join(tmpdir(), 'baton-dlq-'));
      try {
        await writeStackRecord(join(dir, '.baton'), {
          pid: process.pid,
          startedAt: Date.now(),
          redisUrl: redisServer.url,
          prefix,
          ports: {},
          pids: {},
        });
        // pnpm runs the script in services/worker and says where it was invoked in INIT_CWD.
        const run = await dlqProcess(['list'], { INIT_CWD: dir });
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).toContain(
          `prefix ${prefix} (from stack record ${join(dir, '.baton', 'stack.json')})`,
        );
        const line = run.stdout.split('\n').find((l) => l.startsWith(id));
        expect(line).toBeDefined();
        expect(line).toContain('error=TypeError: cannot read properties of undefined (token=[REDACTED])');
        // BATON_HOME (relative to INIT_CWD) names another folder: no record there, so the default Redis.
        const elsewhere = await dlqProcess(
          ['list', '--json'],
          { INIT_CWD: dir, BATON_HOME: 'nowhere', BATON_PREFIX: prefix },
          20_000,
        );
        expect(elsewhere.stderr).toContain('redis://127.0.0.1:6379, prefix');
        expect(elsewhere.stderr).toContain('(from default)');
      } finally {
        await rm(dir, { recursive: true, force: true });
        await dlq.drop(id);
      }
    },
  );

  redisTest(
    '--json: list, show and replay --all print one JSON document naming the Redis; replay --all reports progress',
    async ({ redisServer }) => {
      await dlq.dropAll(); // what the tests above left
      const ids = await Promise.all(
        [1, 2].map((n) =>
          dlq.add({
            stage: 'handle',
            reason: `json ${n}`,
            streamId: 'SJ',
            key: `json-key-${n}`,
            raw: rawMessageSent({ streamId: 'SJ', text: `j${n}` }),
            error: new RangeError(`boom ${n}`),
            attempts: 3,
          }),
        ),
      );
      const invalid = await dlq.add({ stage: 'ingest', reason: 'invalid event: type', raw: { type: 'X' } });
      const env = { REDIS_URL: redisServer.url, BATON_PREFIX: prefix };
      const list = await dlqProcess(['list', '--json', '--limit', '100'], env);
      expect(list.code, list.stderr).toBe(0);
      const doc = JSON.parse(list.stdout) as {
        redis: string;
        prefix: string;
        total: number;
        entries: Array<Record<string, unknown>>;
      };
      expect(doc.prefix).toBe(prefix);
      expect(doc.redis).toBe(redisServer.url.replace(/\/$/, ''));
      expect(doc.total).toBe(3);
      expect(doc.entries.find((e) => e['id'] === ids[0])).toMatchObject({
        stage: 'handle',
        replayable: true,
        error: { name: 'RangeError', message: 'boom 1' },
      });
      expect(doc.entries.find((e) => e['id'] === invalid)).toMatchObject({
        stage: 'ingest',
        replayable: false,
      });
      const show = await dlqProcess(['show', ids[1]!, '--json'], env);
      expect(JSON.parse(show.stdout)).toMatchObject({
        prefix,
        entry: { id: ids[1], error: { name: 'RangeError' } },
      });

      const replay = await dlqProcess(['replay', '--all', '--json'], env);
      expect(replay.code, replay.stderr).toBe(0);
      expect(replay.stderr).toContain('replay --all: 3 dead letters');
      const result = JSON.parse(replay.stdout) as {
        replayed: { id: string }[];
        skipped: { id: string; why: string }[];
      };
      expect(result.replayed.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(result.skipped).toEqual([{ id: invalid, why: expect.stringMatching(/stage ingest/) }]);
      expect(await dlq.count()).toBe(1);

      const unknown = await dlqProcess(['drop', 'dl-nope'], env);
      expect(unknown.code, unknown.stderr).toBe(1);
      expect(unknown.stderr).toMatch(/no dead letter with id dl-nope/);
      const dropAll = await dlqProcess(['drop', '--all', '--yes', '--json'], env);
      expect(JSON.parse(dropAll.stdout)).toMatchObject({ dropped: 1 });
    },
  );
});

function mailboxListKey(streamId: string): string {
  return mailbox.keysFor(streamId).find((k) => k.includes(':q:'))!;
}

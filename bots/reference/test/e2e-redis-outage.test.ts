import { setTimeout as sleep } from 'node:timers/promises';
import { createDeadLetters, freePort } from '@baton/shared';
import { startTestRedis, type TestRedis } from '@baton/shared/testing';
import { waitFor } from '@baton/testing';
import { type E2EStack, startE2EStack } from '@baton/worker/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Baton's own Redis goes away mid-burst (the reference bot's first Redis call, the per-user rate limit, hangs in
// every handler) for longer than all of an event's attempts would take; then it comes back. Not the handler's
// failure: nothing is dead-lettered, nobody gets "Sorry", every command is answered once, in order, and the
// worker's /readyz says 503 while Redis is away. Worker and ingester as in production (the worker a process).
const ATTEMPTS = 3;
const TIMEOUT_MS = 1_500;
const BACKOFF_MS = 200;
/** Longer than ATTEMPTS timed-out attempts and their backoffs (~5.1 s): before the fix, every event in hand died. */
const OUTAGE_MS = 9_000;

let server: TestRedis;
let stack: E2EStack;
let opsPort: number;

beforeAll(async () => {
  server = await startTestRedis({ forceSpawn: true, appendOnly: true });
  stack = await startE2EStack({
    redisUrl: server.url,
    entry: 'reference',
    workerEnv: {
      HANDLER_ATTEMPTS: String(ATTEMPTS),
      HANDLER_TIMEOUT_MS: String(TIMEOUT_MS),
      HANDLER_BACKOFF_MS: String(BACKOFF_MS),
      HANDLER_BACKOFF_MAX_MS: String(BACKOFF_MS * 2),
      // Replies leave at 4/s per room, so each room has a backlog in hand when Redis goes.
      SEND_RATE_PER_STREAM: '4',
      SEND_BURST_PER_STREAM: '1',
      BOT_COMMANDS_PER_MINUTE: '10000', // the rate limit runs (its Redis call first) but never refuses
      LOCK_DURATION_MS: '5000',
      STALLED_INTERVAL_MS: '2000',
    },
  });
  opsPort = await freePort();
  await stack.spawnWorker('outage1', { OPS_PORT: String(opsPort), OPS_HOST: '127.0.0.1' });
});

afterAll(async () => {
  await stack?.close();
  await server?.close();
});

async function readyStatus(): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${opsPort}/readyz`, { signal: AbortSignal.timeout(3_000) });
    return res.status;
  } catch {
    return 0;
  }
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

describe('Redis outage mid-burst', () => {
  it('waits Redis out: every command answered once, in order; 0 dead letters, no "Sorry"; /readyz 503 meanwhile', async () => {
    // Ready before the outage (its ops server may still be binding when the heartbeat first shows up).
    await waitFor('the worker to be ready', async () => (await readyStatus()) === 200, 15_000);
    const rooms = Array.from({ length: 3 }, (_, i) => stack.room(`outage-${i}`));
    const perRoom = 20;
    const replies = () => rooms.reduce((n, r) => n + stack.botMessages(r).length, 0);
    const output = () => [...stack.workers.values()].map((w) => w.output()).join('\n');
    for (let i = 0; i < perRoom; i++) for (const r of rooms) stack.say(r, `@baton-bot /echo n${i}`);

    // Some replies went out, the rest is queued in the mailboxes (4 replies/s per room): Redis goes now.
    await waitFor('the first replies', () => replies() >= rooms.length * 2, 30_000, output);
    await server.stop();
    const statuses: number[] = [];
    const outageEnds = Date.now() + OUTAGE_MS;
    while (Date.now() < outageEnds) {
      statuses.push(await readyStatus());
      await sleep(250);
    }
    const duringOutage = replies();
    await server.start();

    await waitFor(
      'every reply',
      () => replies() >= rooms.length * perRoom,
      60_000,
      () => `${replies()} replies\n${output()}`,
    );
    await sleep(1_500); // a doubled reply would show up now
    for (const r of rooms) {
      expect(stack.botMessages(r).map((m) => m.text)).toEqual(
        Array.from({ length: perRoom }, (_, i) => `n${i}`),
      );
    }
    expect(duringOutage).toBeLessThan(rooms.length * perRoom); // the outage really caught events in hand
    const dlq = createDeadLetters({ connection: stack.redis, prefix: stack.prefix });
    try {
      expect(await dlq.count()).toBe(0);
    } finally {
      await dlq.close();
    }
    // The attempts Redis failed were set aside, not counted (none of them turned into a dead letter).
    expect(await metric('baton_worker_redis_unavailable_attempts_total')).toBeGreaterThan(0);
    expect(await metric('baton_worker_dlq_adds_total')).toBe(0);
    expect(statuses).toContain(503);
    expect(statuses.filter((s) => s === 200)).toEqual([]);
    await waitFor('ready again', async () => (await readyStatus()) === 200, 15_000);
  }, 120_000);
});

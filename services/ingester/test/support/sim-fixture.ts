import { setTimeout as sleep } from 'node:timers/promises';
import { createSimulator, type Simulator } from '@baton/pod-simulator';
import { createLogger, createMailbox, type Mailbox, type QueuedEvent } from '@baton/shared';
import { type NodeProcess, waitFor } from '@baton/testing';
import type { Redis } from 'ioredis';
import { type IngesterConfig, loadConfig } from '../../src/config.ts';
import { createFeedState } from '../../src/feed-state.ts';

export interface SimFixture {
  sim: Simulator;
  botUserId: number;
  botUsername: string;
  privateKeyPem: string;
  /** Human users, one per stream. */
  userIds: number[];
  /** One IM per human user (bot + user). */
  streamIds: string[];
}

/** A simulator with a bot and `streams` IMs between the bot and one user each. */
export async function startSimFixture(
  streams: number,
  simOptions: Parameters<typeof createSimulator>[0] = {},
): Promise<SimFixture> {
  const sim = await createSimulator({ longPollMs: 1_000, ...simOptions });
  const { privateKeyPem, publicKeyPem } = sim.control.generateKeyPair();
  const botUsername = 'ingest-bot';
  const { userId: botUserId } = sim.control.createUser({ username: botUsername, publicKeyPem, bot: true });
  const userIds: number[] = [];
  const streamIds: string[] = [];
  for (let i = 0; i < streams; i++) {
    const { userId } = sim.control.createUser({ username: `user${i}` });
    userIds.push(userId);
    streamIds.push(sim.control.createStream({ type: 'IM', memberIds: [botUserId, userId] }).streamId);
  }
  return { sim, botUserId, botUsername, privateKeyPem, userIds, streamIds };
}

/** The ingester's environment for a fixture (strings only, as a child process gets it). */
export function ingesterEnv(
  fx: SimFixture,
  redisUrl: string,
  prefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SYMPHONY_POD_URL: fx.sim.url,
    SYMPHONY_BOT_USERNAME: fx.botUsername,
    SYMPHONY_PRIVATE_KEY: fx.privateKeyPem,
    REDIS_URL: redisUrl,
    BATON_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    OPS_PORT: '0',
    READ_TIMEOUT_MS: '5000',
    LEADER_LEASE_MS: '3000',
    SWEEP_INTERVAL_MS: '500',
    SWEEP_AGE_MS: '2000',
    MAX_BACKOFF_MS: '2000',
    ...extra,
  };
}

export function ingesterConfig(
  fx: SimFixture,
  redisUrl: string,
  prefix: string,
  extra: Record<string, string> = {},
) {
  return loadConfig(ingesterEnv(fx, redisUrl, prefix, extra)) satisfies IngesterConfig;
}

export const quietLogger = () =>
  createLogger({ level: process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent' });

/** Sends `perStream` numbered messages to every stream, interleaved, from its user. */
export function sendBurst(fx: SimFixture, perStream: number, from = 0): number {
  let sent = 0;
  for (let n = from; n < from + perStream; n++) {
    fx.streamIds.forEach((streamId, i) => {
      fx.sim.control.sendMessage(streamId, { fromUserId: fx.userIds[i] as number, text: `m-${i}-${n}` });
      sent += 1;
    });
  }
  return sent;
}

/** The `n` of each `m-<i>-<n>` message, from a mailbox entry. */
export function messageNumber(entry: QueuedEvent): number {
  const text = JSON.stringify(entry.event);
  const m = /m-\d+-(\d+)/.exec(text);
  if (!m) throw new Error(`no message number in ${text.slice(0, 200)}`);
  return Number(m[1]);
}

/** Reads every stream's mailbox (without consuming), parsed, in order. */
export async function readMailboxes(
  redis: Redis,
  prefix: string,
  streamIds: string[],
): Promise<Map<string, QueuedEvent[]>> {
  const mb: Mailbox = createMailbox(redis, { prefix });
  const out = new Map<string, QueuedEvent[]>();
  for (const s of streamIds) {
    const entries: QueuedEvent[] = [];
    // Peek-by-index: the mailbox is a plain list, read without popping.
    const keys = mb.keysFor(s);
    const raw = await redis.lrange(keys[0] as string, 0, -1);
    for (const r of raw) entries.push(JSON.parse(r) as QueuedEvent);
    out.set(s, entries);
  }
  return out;
}

/**
 * Events waiting in the mailboxes under `prefix`: the mailbox's backlog count (every partition's `pending` counter,
 * summed; the tests' ingesters keep the default partitions).
 */
export async function pendingEvents(redis: Redis, prefix: string): Promise<number> {
  return (await createMailbox(redis, { prefix }).backlog()).pending;
}

/** Asserts-friendly summary: per stream, the message numbers in mailbox order. */
export async function numbersPerStream(
  redis: Redis,
  prefix: string,
  streamIds: string[],
): Promise<number[][]> {
  const boxes = await readMailboxes(redis, prefix, streamIds);
  return streamIds.map((s) => (boxes.get(s) ?? []).map(messageNumber));
}

export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** Waits until the ingester leads and reads its feed (a standby is "ready" too, but reads nothing). */
export function waitReading(ingester: { health(): { role: string; ready: boolean } }, timeoutMs = 15_000) {
  return waitFor(
    'the ingester to lead and read',
    () => ingester.health().role === 'leader' && ingester.health().ready,
    timeoutMs,
  );
}

/** Datafeed reads the simulator has been sent, v1 and v2 (a test reads one of them). */
function feedReadRequests(fx: SimFixture): number {
  const requests = fx.sim.control.stats().requests;
  return (
    (requests['GET /agent/v4/datafeed/:id/read'] ?? 0) + (requests['POST /agent/v5/datafeeds/:id/read'] ?? 0)
  );
}

/**
 * Starts a child ingester (`childIngester`) and waits until it has stored its feed's id and sent `reads` feed reads
 * since; resolves with the feed's id.
 */
export async function startChildReading(
  child: NodeProcess,
  { fx, redis, prefix }: { fx: SimFixture; redis: Redis; prefix: string },
  reads = 1,
): Promise<string | undefined> {
  const feedState = createFeedState(redis, prefix);
  const before = feedReadRequests(fx);
  child.start();
  await waitFor(
    'the child ingester to read its feed',
    async () => (await feedState.load()).feedId !== undefined && feedReadRequests(fx) - before >= reads,
    30_000,
    () => child.output(),
  );
  return (await feedState.load()).feedId;
}

/** Sends `rounds` rounds (one message per stream each), pausing `pauseMs` between rounds; `onRound` hooks in. */
export async function sendPaced(
  fx: SimFixture,
  rounds: number,
  pauseMs: number,
  onRound?: (round: number) => Promise<void> | void,
): Promise<number> {
  let sent = 0;
  for (let n = 0; n < rounds; n++) {
    await onRound?.(n);
    sent += sendBurst(fx, 1, n);
    await sleep(pauseMs);
  }
  return sent;
}

import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { rawMessageSent } from '@baton/shared/events';
import { uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeadLetterList } from '../src/dlq/dead-letter-view.ts';
import type { StatusHistoryDocument } from '../src/status/status-history.ts';
import { openDeadLetters, type TestDeadLetters } from './support/open-dead-letters.ts';
import { startDashboard, type TestDashboard } from './support/start-dashboard.ts';

// The DLQ browser's HTTP API, its auth and CSRF checks, /api/history and /metrics, over real Redis.

const TOKEN = 'dlq-api-test-token';
const auth = { authorization: `Bearer ${TOKEN}` };

let dlq: TestDeadLetters;
let secured: TestDashboard;
let open: TestDashboard;
const prefix = uniquePrefix('dashdlq');
let handleId: string;
let ingestId: string;

/** The CSRF token a signed-in page carries. */
async function csrfOf(url: string, headers: Record<string, string> = {}): Promise<string> {
  const html = await (await fetch(`${url}/`, { headers })).text();
  const m = html.match(/<meta name="csrf-token" content="([^"]+)">/);
  if (!m?.[1]) throw new Error('no csrf token in the page');
  return m[1];
}

const post = (url: string, headers: Record<string, string>) => fetch(url, { method: 'POST', headers });

/** A POST with a Host header of our choosing (fetch does not let one set it). */
function postWithHost(url: string, host: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

redisTest.beforeAll(async ({ redis }) => {
  dlq = openDeadLetters(redis, prefix);
  handleId = await dlq.deadLetters.add({
    stage: 'handle',
    reason: 'handler failed',
    streamId: 'room-x',
    key: 'room-x-1',
    raw: rawMessageSent({ streamId: 'room-x', text: 'hello' }),
    error: new RangeError('out of range'),
    attempts: 2,
  });
  ingestId = await dlq.deadLetters.add({ stage: 'ingest', reason: 'invalid event', raw: { nope: true } });
  secured = await startDashboard(
    redis,
    { BATON_PREFIX: prefix, DASHBOARD_TOKEN: TOKEN },
    { history: { sampleMs: 100, windowMs: 60_000 } },
  );
  open = await startDashboard(redis, { BATON_PREFIX: prefix });
});

afterAll(async () => {
  await secured?.stop();
  await open?.stop();
  await dlq?.close();
});

describe('DLQ API', () => {
  it('lists (oldest first) and shows entries, behind the access guard', async () => {
    expect((await fetch(`${secured.url}/api/dlq`)).status).toBe(401);
    expect((await fetch(`${secured.url}/api/dlq/${handleId}`)).status).toBe(401);
    const res = await fetch(`${secured.url}/api/dlq`, { headers: auth });
    expect(res.status).toBe(200);
    const list = (await res.json()) as DeadLetterList;
    expect(list.total).toBe(2);
    expect(list.entries.map((e) => e.id)).toEqual([handleId, ingestId]);
    expect(list.entries[0]).toMatchObject({
      stage: 'handle',
      reason: 'handler failed',
      streamId: 'room-x',
      attempts: 2,
      error: { name: 'RangeError', message: 'out of range' },
      replayable: true,
    });
    expect(list.entries[1]).toMatchObject({ stage: 'ingest', replayable: false });
    expect(list.entries[1]?.notReplayable).toMatch(/stage ingest/);

    const page = (await (
      await fetch(`${secured.url}/api/dlq?offset=1&limit=1`, { headers: auth })
    ).json()) as DeadLetterList;
    expect(page.entries.map((e) => e.id)).toEqual([ingestId]);

    const shown = (await (await fetch(`${secured.url}/api/dlq/${handleId}`, { headers: auth })).json()) as {
      data: { raw: { payload?: unknown }; error?: { stack?: string } };
    };
    expect(JSON.stringify(shown.data.raw)).toContain('hello');
    expect(shown.data.error?.stack).toContain('RangeError');
    expect((await fetch(`${secured.url}/api/dlq/dl-nothere`, { headers: auth })).status).toBe(404);
  });

  it('refuses replay and drop without credentials, without the CSRF token, or from another origin', async () => {
    const csrf = await csrfOf(secured.url, auth);
    const url = `${secured.url}/api/dlq/${ingestId}/drop`;
    expect((await post(url, { 'x-csrf-token': csrf })).status).toBe(401);
    expect((await post(url, auth)).status).toBe(403);
    expect((await post(url, { ...auth, 'x-csrf-token': 'forged-token-value' })).status).toBe(403);
    expect((await post(url, { ...auth, 'x-csrf-token': csrf, origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect((await post(url, { ...auth, 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
    // Each dashboard process has its own token.
    expect((await post(`${open.url}/api/dlq/${ingestId}/drop`, { 'x-csrf-token': csrf })).status).toBe(403);
    // An open (loopback-only) dashboard also refuses a foreign Host (DNS rebinding).
    const openCsrf = await csrfOf(open.url);
    const drop = `${open.url}/api/dlq/${ingestId}/drop`;
    expect(await postWithHost(drop, 'rebound.example:3100', { 'x-csrf-token': openCsrf })).toBe(403);
    // The same request with its own loopback Host passes (then 404s: a made-up id), so the check is the Host.
    expect(
      await postWithHost(`${open.url}/api/dlq/dl-nothere/drop`, new URL(open.url).host, {
        'x-csrf-token': openCsrf,
      }),
    ).toBe(404);
    expect(await dlq.deadLetters.count()).toBe(2);
  });

  it('replays a handle-stage entry, refuses an ingest-stage one, and drops', async () => {
    const csrf = await csrfOf(secured.url, auth);
    const headers = { ...auth, 'x-csrf-token': csrf, origin: secured.url };
    const refused = await post(`${secured.url}/api/dlq/${ingestId}/replay`, headers);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/invalid input/);

    const replay = await post(`${secured.url}/api/dlq/${handleId}/replay`, headers);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({
      replayed: { id: handleId, streamId: 'room-x', key: `room-x-1#replay-${handleId}` },
    });
    expect((await dlq.mailbox.peek('room-x'))?.key).toBe(`room-x-1#replay-${handleId}`);
    expect((await post(`${secured.url}/api/dlq/${handleId}/replay`, headers)).status).toBe(404);

    expect((await post(`${secured.url}/api/dlq/${ingestId}/drop`, headers)).status).toBe(200);
    expect((await post(`${secured.url}/api/dlq/${ingestId}/drop`, headers)).status).toBe(404);
    expect(await dlq.deadLetters.count()).toBe(0);

    const metrics = await (await fetch(`${secured.url}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(
      /baton_dashboard_dlq_actions_total\{action="replay",outcome="ok",service="dashboard"\} 1/,
    );
    expect(metrics).toMatch(
      /baton_dashboard_dlq_actions_total\{action="replay",outcome="not_replayable",service="dashboard"\} 1/,
    );
    expect(metrics).toMatch(
      /baton_dashboard_dlq_actions_total\{action="drop",outcome="ok",service="dashboard"\} 1/,
    );
    expect(metrics).toMatch(
      /baton_dashboard_dlq_actions_total\{action="drop",outcome="unknown",service="dashboard"\} 1/,
    );
  });
});

describe('history and metrics', () => {
  it('serves the sampled history, and /metrics behind the guard', async () => {
    expect((await fetch(`${secured.url}/api/history`)).status).toBe(401);
    const first = (await (
      await fetch(`${secured.url}/api/history`, { headers: auth })
    ).json()) as StatusHistoryDocument;
    expect(first).toMatchObject({ v: 1, sampleMs: 100, windowMs: 60_000 });
    expect(first.samples.length).toBeGreaterThanOrEqual(1);
    await sleep(400);
    const later = (await (
      await fetch(`${secured.url}/api/history`, { headers: auth })
    ).json()) as StatusHistoryDocument;
    expect(later.samples.length).toBeGreaterThan(first.samples.length);
    const ats = later.samples.map((s) => s.at);
    expect([...ats].sort((a, b) => a - b)).toEqual(ats);

    expect((await fetch(`${secured.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${secured.url}/metrics`, { headers: auth });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^baton_dashboard_workers_live\{service="dashboard"\} 0$/m);
    expect(text).toMatch(/^baton_dashboard_history_samples\{service="dashboard"\} [1-9]\d*$/m);
    expect(text).toMatch(/^baton_dashboard_dlq_size\{service="dashboard"\} \d+$/m);
    expect(text).toContain('process_resident_memory_bytes');
  });
});

import { type LatencyBuckets, REPLY_LATENCY_BOUNDS_MS } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { hasTestChromium, launchTestChromium, uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { waitFor } from '@baton/testing';
import type { Redis } from 'ioredis';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CHART } from '../src/http/chart-script.ts';
import type { DashboardStatus } from '../src/index.ts';
import { openDeadLetters, type TestDeadLetters } from './support/open-dead-letters.ts';
import { startDashboard, type TestDashboard } from './support/start-dashboard.ts';
import { writeHeartbeat } from './support/write-heartbeat.ts';

// The status page in real Chromium against a known backlog: the numbers, 'none' rows, times in the viewer's
// zone with their age, the charts drawn (bounding boxes, and coloured pixels in a screenshot), and the DLQ
// browser's list → show → replay (the event is back in its mailbox, in Redis) → drop flow.

const hasChromium = hasTestChromium();
const TOKEN = 'charts-dlq-test-token';
const ZONE = 'Asia/Kolkata'; // UTC+5:30: a local time that cannot be mistaken for UTC
const LOCALE = 'en-GB';
const HISTORY_MS = 20_000;
const BLUE: [number, number, number] = [0x1f, 0x6f, 0xeb]; // the first series colour
const RED: [number, number, number] = [0xd1, 0x24, 0x2f]; // the second

let redis: Redis;
let dlq: TestDeadLetters;
let browser: Browser | undefined;
let dashboard: TestDashboard;
const prefix = uniquePrefix('dashcharts');
const T0 = Date.now();
const WORKER_STARTED = T0 - 3_600_000;
const FAILED_AT = T0 - 90_000;
let replayableId: string;
let invalidId: string;

const ev = (streamId: string, i: number) => ({
  key: `${streamId}-${i}`,
  streamId,
  event: { i },
  receivedAt: T0 - 1000 * (10 - i),
});

/** Buckets with `counts` events added per bucket index on top of `base`. */
function buckets(add: Record<number, number>, base?: LatencyBuckets): LatencyBuckets {
  const counts = base ? [...base.counts] : new Array<number>(REPLY_LATENCY_BOUNDS_MS.length + 1).fill(0);
  for (const [i, n] of Object.entries(add)) counts[Number(i)] = (counts[Number(i)] ?? 0) + n;
  return { boundsMs: [...REPLY_LATENCY_BOUNDS_MS], counts };
}

function beat(beatAt: number, handled: number, latency: LatencyBuckets): Promise<unknown> {
  return writeHeartbeat(redis, prefix, {
    id: 'desk-worker-1',
    startedAt: WORKER_STARTED,
    beatAt,
    bot: { id: 'desk-bot', fingerprint: 'a1b2c3d4e5f6', commands: 4, version: '2.4.1' },
    stats: { handled },
    latency,
  });
}

async function apiStatus(): Promise<DashboardStatus> {
  const res = await fetch(`${dashboard.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await res.json()) as DashboardStatus;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Decodes a PNG with an <img>, draws it on a canvas and counts the pixels near `rgb`. */
const COUNT_PIXELS = `async ({ png, rgb }) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + png;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, img.width, img.height).data;
  let colour = 0;
  for (let i = 0; i < d.length; i += 4)
    if (Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < 60) colour++;
  return { colour, total: img.width * img.height };
}`;

/**
 * Pixels near `rgb` in a screenshot of the plot area of the chart `target` (its legend
 * and axis labels left out), counted by the browser itself (canvas).
 */
async function plotPixels(page: Page, target: Locator, rgb: [number, number, number]) {
  const box = await target.boundingBox();
  if (!box) throw new Error('chart not laid out');
  const sx = box.width / CHART.width;
  const sy = box.height / CHART.height;
  const clip = {
    x: box.x + CHART.left * sx,
    y: box.y + CHART.top * sy,
    width: (CHART.width - CHART.left - CHART.right) * sx,
    height: (CHART.height - CHART.top - CHART.bottom) * sy,
  };
  const png = (await page.screenshot({ clip })).toString('base64');
  const scratch = await page.context().newPage();
  try {
    // Runs in the blank page (browser globals), so it is handed over as source.
    return (await scratch.evaluate(`(${COUNT_PIXELS})(${JSON.stringify({ png, rgb })})`)) as {
      colour: number;
      total: number;
    };
  } finally {
    await scratch.close();
  }
}

// Runs only with the suite below: vitest skips the hooks of a file whose tests are all skipped.
redisTest.beforeAll(async ({ redis: fileRedis }) => {
  redis = fileRedis;
  dlq = openDeadLetters(redis, prefix);
  // Known backlog: 9 events over 3 streams (room-a 5, room-b 3, room-c 1).
  const added = await dlq.mailbox.enqueue(
    [
      ...[0, 1, 2, 3, 4].map((i) => ev('room-a', i)),
      ...[0, 1, 2].map((i) => ev('room-b', i)),
      ev('room-c', 0),
    ],
    { dedupTtlSec: 600 },
  );
  expect(added.added).toBe(9);
  // Known DLQ, through the shared API: one replayable handler failure, one invalid event.
  replayableId = await dlq.deadLetters.add({
    stage: 'handle',
    reason: 'handler failed after 3 attempts',
    streamId: 'room-d',
    key: 'room-d-msg-1',
    raw: rawMessageSent({ streamId: 'room-d', text: 'replay me', id: 'evt-room-d-1' }),
    error: { name: 'TypeError', message: 'boom in /quote' },
    attempts: 3,
    failedAt: FAILED_AT,
  });
  invalidId = await dlq.deadLetters.add({
    stage: 'ingest',
    reason: 'invalid event: missing initiator',
    streamId: 'room-e',
    key: 'room-e-msg-1',
    raw: { type: 'MESSAGESENT' },
    failedAt: FAILED_AT + 1000,
  });
  dashboard = await startDashboard(
    redis,
    { BATON_PREFIX: prefix, DASHBOARD_TOKEN: TOKEN },
    { refreshMs: 400, history: { sampleMs: 250, windowMs: HISTORY_MS } },
  );
  browser = await launchTestChromium();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await dlq?.close();
});

describe.skipIf(!hasChromium)('charts, local times and the DLQ browser in headless Chromium', () => {
  it('shows the known backlog, its charts and latency, and replays and drops dead letters', async () => {
    const { mailbox, deadLetters, drainQueue } = dlq;
    const context = await browser!.newContext({
      viewport: { width: 1280, height: 1000 },
      timezoneId: ZONE,
      locale: LOCALE,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(dashboard.url) && !r.url().startsWith('data:'))
        problems.push(`external ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });

    expect((await page.goto(`${dashboard.url}/?token=${TOKEN}`))?.status()).toBe(200);
    expect(await page.textContent('#pending')).toBe('9');
    expect(await page.textContent('#streams')).toBe('3');
    expect(await page.textContent('#dlq')).toBe('2');
    // Empty tables say so.
    expect(await page.locator('#worker-list tr').count()).toBe(1);
    expect((await page.textContent('#worker-list td.none'))?.trim()).toBe('none');
    expect((await page.textContent('#errors td.none'))?.trim()).toBe('none');
    expect(await page.textContent('#p50')).toBe('–');
    // Control for the pixel check below: no p99 line yet, so no red in the latency chart's plot area.
    await expect
      .poll(async () => (await page.locator('#chart-latency text.empty').count()) === 1, { timeout: 5_000 })
      .toBe(true);
    expect((await plotPixels(page, page.locator('#chart-latency'), RED)).colour).toBe(0);

    // A worker beats twice, 10 s apart: 100 events handled between the beats, 60 of them in 50–100 ms, 39 in
    // 100–250 ms, 1 in 500–1000 ms ⇒ 10/s, p50 = 50 + 50·50/60 = 91.7 ms, p99 = 100 + 150·39/39 = 250 ms.
    const before = buckets({ 3: 7 });
    const firstBeat = Date.now() - 10_000;
    await beat(firstBeat, 100, before);
    await waitFor('the first beat to be seen', async () => (await apiStatus()).workers?.live === 1, 10_000);
    await beat(firstBeat + 10_000, 200, buckets({ 4: 60, 5: 39, 7: 1 }, before));
    await expect.poll(() => page.textContent('#p50'), { timeout: 10_000, interval: 100 }).toBe('91.7 ms');
    expect(await page.textContent('#p99')).toBe('250 ms');
    expect(await page.textContent('#handled')).toBe('10');
    expect(await page.textContent('#latency-count')).toBe('100');

    // The bot's name and version per worker; its start time in the viewer's zone, with the age beside it.
    const row = page.locator('#worker-list tr').first();
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toBe('desk-bot · a1b2c3d4e5f6 (4 commands)');
    expect(cells[2]).toBe('2.4.1');
    const local = (t: number) =>
      new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'medium', timeZone: ZONE }).format(t);
    expect(cells[7]).toMatch(new RegExp(`^${escapeRe(local(WORKER_STARTED))} \\(1\\.0 h ago\\)$`));
    expect(cells[7]).not.toContain(new Date(WORKER_STARTED).toISOString());

    // Grow the backlog while the charts sample it, so the lines move.
    await mailbox.enqueue(
      [0, 1, 2, 3, 4].map((i) => ev('room-c', 10 + i)),
      { dedupTtlSec: 600 },
    );
    await expect.poll(() => page.textContent('#pending'), { timeout: 10_000, interval: 100 }).toBe('14');
    await expect
      .poll(async () => Number(await page.textContent('#history-samples')), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(16);

    // Every chart has points, drawn paths with a real size, and no "no samples" text.
    for (const id of ['chart-pending', 'chart-oldest', 'chart-handled', 'chart-latency', 'chart-streams']) {
      const svg = page.locator(`#${id}`);
      await expect
        .poll(async () => Number(await svg.getAttribute('data-points')), { timeout: 10_000 })
        .toBeGreaterThan(1);
      expect(await svg.locator('text.empty').count(), id).toBe(0);
      const box = await svg.boundingBox();
      expect(box?.width ?? 0, id).toBeGreaterThan(250);
      expect(box?.height ?? 0, id).toBeGreaterThan(80);
      // Measured in one step in the page: the script redraws the chart every refresh.
      const pathSize = () =>
        svg.evaluate((el) => {
          const r = el.querySelector('path.series')?.getBoundingClientRect();
          return r ? r.width + r.height : 0;
        });
      await expect.poll(pathSize, { timeout: 5_000 }).toBeGreaterThan(4);
    }
    // Two series in the latency chart, the three streams in the per-stream one, room-c on top.
    expect(await page.locator('#chart-latency path.series').count()).toBe(2);
    const streamSeries = await page
      .locator('#chart-streams path.series')
      .evaluateAll((ps) => ps.map((p) => p.getAttribute('data-series')));
    expect(streamSeries).toEqual(['room-c', 'room-a', 'room-b']);
    // The screenshot shows the lines: pixels of the series colours in the plot areas (legends left out).
    // Polled: the lines grow with each sample the page takes, and the latency one starts only at the second beat.
    const colourOf = (id: string, rgb: [number, number, number]) => async () =>
      (await plotPixels(page, page.locator(`#${id}`), rgb)).colour;
    await expect.poll(colourOf('chart-pending', BLUE), { timeout: 10_000 }).toBeGreaterThan(60);
    await expect.poll(colourOf('chart-latency', RED), { timeout: 10_000 }).toBeGreaterThan(40);
    await page.screenshot({ path: '/tmp/dashboard-charts.png', fullPage: true });

    // The DLQ browser: both entries, oldest first, with reason, stage, stream, time, error, attempts, replayable.
    const dlqRows = page.locator('#dlq-list tr');
    await expect.poll(() => dlqRows.count(), { timeout: 10_000 }).toBe(2);
    const first = await dlqRows.nth(0).locator('td').allTextContents();
    expect(first.slice(1, 7)).toEqual([
      'handle',
      'handler failed after 3 attempts',
      'room-d',
      'TypeError: boom in /quote',
      '3',
      'yes',
    ]);
    expect(first[0]).toMatch(new RegExp(`^${escapeRe(local(FAILED_AT))} \\(1 min \\d+ s ago\\)$`));
    const second = await dlqRows.nth(1).locator('td').allTextContents();
    expect(second.slice(1, 4)).toEqual(['ingest', 'invalid event: missing initiator', 'room-e']);
    expect(second[6]).toMatch(/^no \(stage ingest/);
    expect(await dlqRows.nth(1).locator('button[data-action="replay"]').isDisabled()).toBe(true);

    // Show: the whole entry, raw event included.
    await dlqRows.nth(0).locator('button[data-action="show"]').click();
    await expect.poll(() => page.textContent('#dlq-detail'), { timeout: 5_000 }).toContain('replay me');
    expect(await page.textContent('#dlq-detail-id')).toBe(replayableId);
    expect(await page.isVisible('#dlq-detail')).toBe(true);

    // Replay, declined at the prompt: nothing happens.
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await dlqRows.nth(0).locator('button[data-action="replay"]').click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toContain(`Replay dead letter ${replayableId}?`);
    expect(await deadLetters.count()).toBe(2);
    expect(await mailbox.length('room-d')).toBe(0);

    // Replay, confirmed: the event is back in room-d's mailbox (in Redis), with a drain scheduled.
    page.once('dialog', (d) => void d.accept());
    await dlqRows.nth(0).locator('button[data-action="replay"]').click();
    await expect
      .poll(() => page.textContent('#dlq-msg'), { timeout: 5_000 })
      .toBe(`replayed ${replayableId} into stream room-d`);
    const head = await mailbox.peek('room-d');
    expect(head?.key).toBe(`room-d-msg-1#replay-${replayableId}`);
    expect((head?.event as { id?: string } | undefined)?.id).toBe('evt-room-d-1');
    // Nothing had scheduled a drain before (the test enqueued without an ingester): this one is the replay's.
    const drains = await drainQueue.getJobCounts('waiting', 'delayed', 'prioritized');
    expect((drains['waiting'] ?? 0) + (drains['delayed'] ?? 0) + (drains['prioritized'] ?? 0)).toBe(1);
    expect(await deadLetters.show(replayableId)).toBeUndefined();
    await expect.poll(() => dlqRows.count(), { timeout: 5_000 }).toBe(1);
    expect(await page.isVisible('#dlq-detail')).toBe(false);
    await expect.poll(() => page.textContent('#pending'), { timeout: 10_000 }).toBe('15');

    // Drop the invalid one, confirmed: the list says 'none', and the DLQ is empty in Redis.
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await dlqRows.nth(0).locator('button[data-action="drop"]').click();
    await expect.poll(() => page.textContent('#dlq-msg'), { timeout: 5_000 }).toBe(`dropped ${invalidId}`);
    expect(dialogs[1]).toContain(`Drop dead letter ${invalidId}?`);
    await expect.poll(() => page.textContent('#dlq-list td.none'), { timeout: 5_000 }).toBe('none');
    expect(await deadLetters.count()).toBe(0);
    await expect.poll(() => page.textContent('#dlq'), { timeout: 10_000 }).toBe('0');

    await page.screenshot({ path: '/tmp/dashboard-dlq.png', fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});

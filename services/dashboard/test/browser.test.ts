import { createMailbox, type Mailbox, queueNames } from '@baton/shared';
import { hasTestChromium, launchTestChromium, openTestQueue, uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startDashboard, type TestDashboard } from './support/start-dashboard.ts';
import { writeHeartbeat } from './support/write-heartbeat.ts';

const hasChromium = hasTestChromium();
const TOKEN = 'browser-test-token';

let redis: Redis;
let dlq: Queue;
let mailbox: Mailbox;
let browser: Browser | undefined;
let dashboard: TestDashboard;
const prefix = uniquePrefix('dashui');

const ev = (streamId: string, i: number) => ({ key: `${streamId}-${i}`, streamId, event: { i } });

// Runs only with the suite below: vitest skips the hooks of a file whose tests are all skipped.
redisTest.beforeAll(async ({ redis: fileRedis }) => {
  redis = fileRedis;
  mailbox = createMailbox(redis, { prefix });
  // Known backlog: 7 events over 2 streams, 2 dead letters.
  await mailbox.enqueue(
    [...[0, 1, 2, 3].map((i) => ev('room-a', i)), ...[0, 1, 2].map((i) => ev('room-b', i))],
    {
      dedupTtlSec: 600,
    },
  );
  dlq = openTestQueue(redis, prefix, 'dlq');
  await dlq.add('dead', { v: 1, stage: 'ingest', reason: 'invalid event', raw: {}, failedAt: Date.now() });
  await dlq.add('dead', { v: 1, stage: 'handle', reason: 'handler threw', raw: {}, failedAt: Date.now() });
  dashboard = await startDashboard(
    redis,
    { BATON_PREFIX: prefix, DASHBOARD_TOKEN: TOKEN },
    { refreshMs: 500 },
  );
  browser = await launchTestChromium();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await dlq?.close();
});

describe.skipIf(!hasChromium)(
  'status page in headless Chromium (skipped: /usr/bin/chromium not installed)',
  () => {
    it('shows the known backlog, follows it live, and bull-board renders', async () => {
      const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      const external: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(dashboard.url)) external.push(r.url());
      });
      // Unauthenticated: refused.
      const denied = await page.goto(`${dashboard.url}/`);
      expect(denied?.status()).toBe(401);

      // From here on, signed in: no failed request, no script error, no CSP violation.
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(`${m.text()} (${m.location().url})`);
      });
      page.on('response', (r) => {
        if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`);
      });

      // ?token= signs the browser in and lands on the page without the token in the address.
      const res = await page.goto(`${dashboard.url}/?token=${TOKEN}`);
      expect(res?.status()).toBe(200);
      expect(page.url()).toBe(`${dashboard.url}/`);
      expect(await page.textContent('#pending')).toBe('7');
      expect(await page.textContent('#streams')).toBe('2');
      expect(await page.textContent('#dlq')).toBe('2');
      expect(await page.locator('#top-streams tr').count()).toBe(2);
      expect(await page.textContent('#top-streams')).toContain('room-a');

      // The script refreshes from /api/status (with the session cookie): 3 more events on a new stream show up.
      await mailbox.enqueue(
        [0, 1, 2].map((i) => ev('room-c', i)),
        { dedupTtlSec: 600 },
      );
      await expect.poll(() => page.textContent('#pending'), { timeout: 15_000, interval: 200 }).toBe('10');
      expect(await page.textContent('#streams')).toBe('3');
      expect(await page.textContent('#conn')).toBe('live');

      // A worker that starts beating shows up live, with the bot it runs and its command fingerprint.
      await writeHeartbeat(redis, prefix, {
        id: 'desk-worker-1',
        startedAt: Date.now() - 60_000,
        beatAt: Date.now(),
        stats: { handled: 12 },
      });
      await expect
        .poll(() => page.textContent('#worker-list'), { timeout: 15_000, interval: 200 })
        .toContain('desk-bot · a1b2c3d4e5f6 (4 commands)');
      await page.screenshot({ path: '/tmp/dashboard.png', fullPage: true });

      // bull-board, read-only, lists the three queues.
      await page.goto(`${dashboard.url}/queues`);
      const names = queueNames(prefix);
      await page.getByText(names.dlq).first().waitFor({ timeout: 15_000 });
      await page.getByText(names.drain).first().waitFor({ timeout: 15_000 });
      // The DLQ's jobs are shown with their data (the dead letters' reasons).
      await page.getByText(names.dlq).first().click();
      await page.getByText('handler threw').first().waitFor({ timeout: 15_000 });
      await page.screenshot({ path: '/tmp/dashboard-queues.png' });

      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
      await page.close();
    });
  },
);

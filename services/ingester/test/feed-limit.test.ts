import {
  type ClosableSymphonyClient,
  createSymphonyClient,
  FeedGoneError,
  FeedLimitError,
} from '@baton/shared';
import { createFakeSymphonyClient, uniquePrefix } from '@baton/shared/testing';
import { afterAll, describe, expect } from 'vitest';
import { createIngester, type Ingester } from '../src/create-ingester.ts';
import { ingesterTest } from './support/ingester-test.ts';
import { messageSent } from './support/message-sent.ts';
import { scriptedIngesterTest } from './support/scripted-ingester-test.ts';
import { ingesterConfig, quietLogger, sendBurst, waitReading } from './support/sim-fixture.ts';

let ingester: Ingester;
let other: ClosableSymphonyClient;
const prefix = uniquePrefix('lim');

const metric = async (name: string, labels = ''): Promise<number> => {
  const text = await ingester.metrics.registry.metrics();
  const re = new RegExp(`^${name}(?:\\{${labels}[^}]*\\})? (\\d+)`, 'm');
  return Number(re.exec(text)?.[1] ?? 0);
};

ingesterTest.override('simStreams', 3);

ingesterTest.beforeAll(async ({ fx, redisServer }) => {
  ingester = createIngester(ingesterConfig(fx, redisServer.url, prefix, { MAX_BACKOFF_MS: '1000' }), {
    logger: quietLogger(),
  });
  await ingester.start();
  await waitReading(ingester);
  // Another process on the same service account (a leaked deployment, a script) that creates feeds and
  // never reads or deletes them.
  other = createSymphonyClient(
    { podUrl: fx.sim.url, botUsername: fx.botUsername, privateKeyPem: fx.privateKeyPem },
    { logger: quietLogger() },
  );
});

afterAll(async () => {
  await ingester?.stop();
  other?.close();
});

describe('ingester: the agent refuses its feed for too many feeds (the 21st live v2 feed)', () => {
  ingesterTest(
    'deletes the bot account’s other feeds, reads its own again, and loses nothing sent after',
    async ({ fx }) => {
      const mine = (await ingester.feedState.load()).feedId as string;
      const leaked: string[] = [];
      for (let i = 0; i < 20; i++) leaked.push((await other.createDatafeed()).id);
      const liveV2 = () =>
        fx.sim.control
          .stats()
          .feeds.filter((f) => f.version === 'v2' && f.userId === fx.botUserId && !f.expired)
          .map((f) => f.id);
      expect(liveV2()).toEqual([mine, ...leaked]);

      // The ingester's feed expires: it recreates one, the 21st live feed, which the agent refuses to read.
      fx.sim.control.setFaults({ rules: [], expireFeeds: { feedId: mine } });
      await expect
        .poll(() => metric('baton_ingester_stale_feeds_deleted_total'), { timeout: 15_000 })
        .toBe(20);
      const recreated = (await ingester.feedState.load()).feedId as string;
      expect(recreated).not.toBe(mine);
      expect(liveV2()).toEqual([recreated]); // the leaked feeds are gone, its own is kept
      expect(await metric('baton_ingester_errors_total', 'class="FeedLimitError"')).toBe(1);
      expect(await metric('baton_ingester_feed_recreated_total')).toBe(1);

      // Reading again: what is sent from now on is stored.
      await waitReading(ingester);
      const sent = sendBurst(fx, 2);
      await expect
        .poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 10_000 })
        .toBe(sent);
      // One refusal only: no loop of refused reads once the others were deleted.
      expect(await metric('baton_ingester_errors_total', 'class="FeedLimitError"')).toBe(1);
      expect(await metric('baton_ingester_stale_feeds_deleted_total')).toBe(20);
    },
  );
});

describe('ingester: an agent that refuses the create itself for too many feeds', () => {
  scriptedIngesterTest(
    'deletes the listed feeds and creates again (some agent docs put the 403 on the create)',
    async ({ scriptedIngester }) => {
      const fake = createFakeSymphonyClient();
      const calls: string[] = [];
      let created = 0;
      let lists = 0;
      fake.listDatafeeds = async () => {
        calls.push('list');
        return lists++ === 0 ? [] : [{ id: 'a_f' }, { id: 'b_f' }];
      };
      fake.deleteDatafeed = async (id) => {
        calls.push(`delete ${id}`);
        if (id === 'b_f') throw new FeedGoneError('already gone', { status: 400 });
      };
      fake.createDatafeed = async () => {
        created++;
        calls.push('create');
        if (created === 2) throw new FeedLimitError('Too many feeds created', { status: 403 });
        return { id: created === 1 ? 'first_f' : 'new_f' };
      };
      fake.fail(new FeedGoneError('feed expired', { status: 400 }));
      fake.events([messageSent('S1', 0)]);
      fake.hang();
      const ingester = scriptedIngester(fake);
      await ingester.start();
      await expect.poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 10_000 }).toBe(1);
      expect((await ingester.feedState.load()).feedId).toBe('new_f');
      expect(calls).toEqual([
        'list', // open: nothing to reuse
        'create', // first_f
        'delete first_f', // recreate after the 400
        'create', // refused: 403
        'list',
        'delete a_f',
        'delete b_f', // already gone: counted as deleted
        'create', // new_f
      ]);
      const text = await ingester.metrics.registry.metrics();
      expect(text).toMatch(/^baton_ingester_stale_feeds_deleted_total(\{[^}]*\})? 2$/m);
    },
  );
});

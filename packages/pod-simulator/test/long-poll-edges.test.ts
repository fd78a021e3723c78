import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../src/index.ts';
import { botUser, call, type WireEvent } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

/** Long polls with a long hold: nothing here may wait for the hold to end. */
simTest.override({
  simOptions: { longPollMs: 20_000, redeliveryMs: 20_000 },
  botOptions: { username: 'edge-bot' },
});

const held = (sim: Simulator): number =>
  sim.control.stats().requests['POST /agent/v5/datafeeds/:id/read'] ?? 0;

describe('long-poll edge cases', () => {
  simTest('a v1 read abandoned by its client loses no events', async ({ sim, bot, alice, im }) => {
    const { id } = (await call(sim, 'POST', '/agent/v4/datafeed/create', bot.session.headers)).body as {
      id: string;
    };
    const reads = (): number => sim.control.stats().requests['GET /agent/v4/datafeed/:id/read'] ?? 0;
    const before = reads();
    const ac = new AbortController();
    const abandoned = fetch(`${sim.url}/agent/v4/datafeed/${id}/read`, {
      headers: bot.session.headers,
      signal: ac.signal,
    });
    await waitFor('the abandoned read to reach the simulator', () => reads() > before, 2_000);
    await sleep(50);
    ac.abort();
    await expect(abandoned).rejects.toThrow();
    await sleep(50);
    sim.control.sendMessage(im, { fromUserId: alice, text: 'kept' });
    const r = await call(sim, 'GET', `/agent/v4/datafeed/${id}/read`, bot.session.headers);
    expect(r.status).toBe(200);
    expect((r.body as WireEvent[]).map((e) => e.type)).toEqual(['MESSAGESENT']);
  });

  simTest('two readers of one v2 feed get each event once between them', async ({ sim, bot, alice, im }) => {
    const { id } = (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers)).body as {
      id: string;
    };
    const base = held(sim);
    const a = call(sim, 'POST', `/agent/v5/datafeeds/${id}/read`, bot.session.headers, { ackId: '' });
    const b = call(sim, 'POST', `/agent/v5/datafeeds/${id}/read`, bot.session.headers, { ackId: '' });
    await waitFor('both reads to be held', () => held(sim) >= base + 2, 2_000);
    await sleep(50);
    sim.control.sendMessage(im, { fromUserId: alice, text: 'only once' });
    const first = await Promise.race([a, b]);
    expect((first.body as { events: WireEvent[] }).events).toHaveLength(1);
    // The other reader is still held: push another event to release it.
    sim.control.sendMessage(im, { fromUserId: alice, text: 'second' });
    const [ra, rb] = await Promise.all([a, b]);
    const ids = [ra, rb].flatMap((r) => (r.body as { events: WireEvent[] }).events.map((e) => e.id));
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  simTest('deleting a feed releases its held read with 400', async ({ sim, bot }) => {
    const { id } = (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers)).body as {
      id: string;
    };
    const base = held(sim);
    const pending = call(sim, 'POST', `/agent/v5/datafeeds/${id}/read`, bot.session.headers, { ackId: '' });
    await waitFor('the read to be held', () => held(sim) >= base + 1, 2_000);
    expect((await call(sim, 'DELETE', `/agent/v5/datafeeds/${id}`, bot.session.headers)).status).toBe(204);
    expect((await pending).status).toBe(400);
  });

  it('close() ends held reads and live streams promptly', async () => {
    const other = await createSimulator({ longPollMs: 20_000 });
    const b = await botUser(other, 'closing-bot');
    const { id } = (await call(other, 'POST', '/agent/v5/datafeeds', b.session.headers)).body as {
      id: string;
    };
    const pending = call(other, 'POST', `/agent/v5/datafeeds/${id}/read`, b.session.headers, {
      ackId: '',
    }).then(
      (r) => r.status,
      () => 'connection closed',
    );
    const live = await fetch(`${other.url}/_sim/live?userId=${b.userId}`);
    expect(live.status).toBe(200);
    await sleep(50);
    await other.close();
    expect([400, 'connection closed']).toContain(await pending);
    await live.body?.cancel();
  });
});

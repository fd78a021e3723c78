import { describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { renderSimMetrics } from '../src/routes/metrics-route.ts';
import { simTest } from './support/sim-test.ts';

simTest.override('simOptions', { longPollMs: 150 });

const scrape = async (sim: Simulator) => {
  const res = await fetch(`${sim.url}/_sim/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /_sim/metrics', () => {
  simTest('follows the simulator stats: messages created, requests by route template', async ({ sim }) => {
    const before = await scrape(sim);
    const created = value(before, 'baton_sim_messages_created_total') ?? Number.NaN;
    const u = sim.control.createUser({ username: 'metrics-user', displayName: 'M' });
    const room = sim.control.createStream({ type: 'ROOM', name: 'metrics-room', memberIds: [u.userId] });
    sim.control.sendMessage(room.streamId, { fromUserId: u.userId, text: 'one' });
    sim.control.sendMessage(room.streamId, { fromUserId: u.userId, text: 'two' });
    await fetch(`${sim.url}/_sim/stats`);
    const after = await scrape(sim);
    expect(value(after, 'baton_sim_messages_created_total')).toBe(created + 2);
    expect(after).toContain('# TYPE baton_sim_messages_created_total counter');
    expect(value(after, 'baton_sim_feeds')).toBe(0);
    expect(value(after, 'baton_sim_requests_total{route="GET /_sim/stats"}')).toBeGreaterThanOrEqual(1);
  });

  it('escapes label values as the text format requires', () => {
    const text = renderSimMetrics({
      feeds: [],
      feedsExpired: 0,
      messagesCreated: 0,
      eventsPublished: 0,
      requests: { 'GET /a"b\\c': 3 },
    });
    expect(text).toContain('baton_sim_requests_total{route="GET /a\\"b\\\\c"} 3');
  });
});

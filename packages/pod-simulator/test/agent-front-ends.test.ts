import { describe, expect } from 'vitest';
import type { Simulator } from '../src/index.ts';
import type { BotUser } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

simTest.override({ simOptions: { longPollMs: 5_000, agents: 2 }, botOptions: { username: 'agents-bot' } });

/** A call in the bot's session to one front-end (`origin`). */
const at = (bot: BotUser, origin: string, method: string, path: string, body?: unknown) =>
  fetch(origin + path, {
    method,
    headers: {
      ...bot.session.headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const control = (sim: Simulator, method: string, path: string, body?: unknown) =>
  fetch(sim.url + path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

describe('extra agent front-ends', () => {
  simTest(
    'serve the agent API (and /pod, which an agent proxies) over the one pod state, on their own ports',
    async ({ sim, bot }) => {
      const [a0, a1] = sim.agents;
      expect(sim.agents).toHaveLength(2);
      expect(new Set([sim.url, a0?.url, a1?.url]).size).toBe(3);
      // A feed created through one agent is read through the other, with the same ackId chain.
      const feed = (await (await at(bot, a0!.url, 'POST', '/agent/v5/datafeeds')).json()) as { id: string };
      const { userId: alice } = sim.control.createUser({ username: 'alice' });
      const { streamId } = sim.control.createStream({ type: 'IM', memberIds: [bot.userId, alice] });
      sim.control.sendMessage(streamId, { fromUserId: alice, text: 'one' });
      const read = (await (
        await at(bot, a1!.url, 'POST', `/agent/v5/datafeeds/${feed.id}/read`, { ackId: '' })
      ).json()) as { events: unknown[]; ackId: string };
      expect(JSON.stringify(read.events)).toContain('one');
      const next = await at(bot, sim.url, 'POST', `/agent/v5/datafeeds/${feed.id}/read`, {
        ackId: read.ackId,
      });
      expect(next.status).toBe(200);
      expect((await at(bot, a0!.url, 'GET', '/pod/v2/sessioninfo')).status).toBe(200);
      // Not the pod's login or the control API.
      expect((await fetch(`${a0!.url}/login/pubkey/authenticate`, { method: 'POST' })).status).toBe(404);
      expect((await fetch(`${a0!.url}/_sim/stats`)).status).toBe(404);
      expect(a1!.requests()['POST /agent/v5/datafeeds/:id/read']).toBe(1);
    },
  );

  simTest(
    'killed: connections are refused and a held read is cut; revived on the same port',
    async ({ sim, bot }) => {
      const a0 = sim.agents[0]!;
      const url = a0.url;
      const feed = (await (await at(bot, url, 'POST', '/agent/v5/datafeeds')).json()) as { id: string };
      const reads = () => a0.requests()['POST /agent/v5/datafeeds/:id/read'] ?? 0;
      const before = reads();
      const held = at(bot, url, 'POST', `/agent/v5/datafeeds/${feed.id}/read`, { ackId: '' }).then(
        (r) => `status ${r.status}`,
        (e: Error) => `failed: ${(e.cause as { code?: string } | undefined)?.code ?? e.message}`,
      );
      await expect.poll(reads).toBe(before + 1);
      expect((await control(sim, 'POST', '/_sim/agents/0/kill')).status).toBe(204);
      expect(a0.up).toBe(false);
      expect(await held).toMatch(/^failed/);
      await expect(fetch(`${url}/agent/v3/health`)).rejects.toMatchObject({
        cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
      });
      // The other agents and the pod do not notice.
      expect((await at(bot, sim.agents[1]!.url, 'GET', '/agent/v3/health')).status).toBe(200);
      const listed = (await (await control(sim, 'GET', '/_sim/agents')).json()) as {
        index: number;
        up: boolean;
      }[];
      expect(listed.map((a) => [a.index, a.up])).toEqual([
        [0, false],
        [1, true],
      ]);
      expect((await control(sim, 'POST', '/_sim/agents/0/revive')).status).toBe(204);
      expect(a0.url).toBe(url);
      expect((await at(bot, url, 'GET', '/agent/v3/health')).status).toBe(200);
      expect((await control(sim, 'POST', '/_sim/agents/7/kill')).status).toBe(404);
    },
  );

  simTest('faults one agent alone; the pod-wide faults apply to every front-end', async ({ sim, bot }) => {
    const put = await control(sim, 'PUT', '/_sim/agents/1/faults', {
      rules: [{ path: '/agent', error503: 1 }],
    });
    expect(put.status).toBe(200);
    expect((await at(bot, sim.agents[1]!.url, 'GET', '/agent/v3/health')).status).toBe(503);
    expect((await at(bot, sim.agents[0]!.url, 'GET', '/agent/v3/health')).status).toBe(200);
    expect((await at(bot, sim.url, 'GET', '/agent/v3/health')).status).toBe(200);
    expect((await control(sim, 'DELETE', '/_sim/agents/1/faults')).status).toBe(204);
    expect((await at(bot, sim.agents[1]!.url, 'GET', '/agent/v3/health')).status).toBe(200);
    sim.control.setFaults({ rules: [{ path: '/agent/v3', error500: 1 }] });
    try {
      for (const origin of [sim.url, sim.agents[0]!.url, sim.agents[1]!.url]) {
        expect((await at(bot, origin, 'GET', '/agent/v3/health')).status).toBe(500);
      }
    } finally {
      sim.control.clearFaults();
    }
  });
});

import { Writable } from 'node:stream';
import {
  type ClosableSymphonyClient,
  ConnectionError,
  createLogger,
  createSymphonyClient,
  type SymphonyClientConfig,
} from '@baton/shared';
import type { SimBotUser } from '@baton/testing';
import { afterAll, describe, expect } from 'vitest';
import type { SimAgentFrontEnd, Simulator } from '../src/index.ts';
import { simTest } from './support/sim-test.ts';

/** The shared client with several agent nodes (agent load balancing) against the simulator's agent front-ends. */
const clients: ClosableSymphonyClient[] = [];
const lines: Record<string, unknown>[] = [];
const logger = createLogger({
  level: 'warn',
  destination: new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  }),
});

simTest.override({
  simOptions: { longPollMs: 3_000, redeliveryMs: 60_000, agents: 3 },
  botOptions: { username: 'lb-bot' },
});
// The bot opens the IM with alice here.
simTest.override('im', { scope: 'file' }, ({ sim, botAccount, alice }) => {
  return sim.control.createStream({ type: 'IM', memberIds: [botAccount.userId, alice] }).streamId;
});
simTest.afterEach(async ({ sim }) => {
  for (const a of sim.agents) {
    a.clearFaults();
    await a.revive();
  }
});

afterAll(() => {
  for (const c of clients) c.close();
});

function client(
  sim: Simulator,
  bot: SimBotUser,
  lb: Partial<NonNullable<SymphonyClientConfig['agentLoadBalancing']>> = {},
  maxAttempts = 1,
) {
  const c = createSymphonyClient(
    {
      podUrl: sim.url,
      botUsername: bot.username,
      privateKeyPem: bot.privateKeyPem,
      agentLoadBalancing: { nodes: sim.agents.map((a) => a.url), ...lb },
      datafeedTimeoutMs: 10_000,
      retry: { maxAttempts, initialDelayMs: 10, maxDelayMs: 20 },
    },
    { logger },
  );
  clients.push(c);
  return c;
}
const reads = (a: SimAgentFrontEnd) => a.requests()['POST /agent/v5/datafeeds/:id/read'] ?? 0;
const sends = (a: SimAgentFrontEnd) => a.requests()['POST /agent/v4/stream/:sid/message/create'] ?? 0;
const say = (sim: Simulator, im: string, alice: number, text: string) =>
  sim.control.sendMessage(im, { fromUserId: alice, text });
/** The `m<n>` texts of the MESSAGESENT events of a read, in order. */
const textsOf = (events: unknown[]) =>
  events.flatMap((e) => {
    const message = (e as { payload?: { messageSent?: { message?: { message?: string } } } }).payload
      ?.messageSent?.message?.message;
    const m = message === undefined ? null : />(m\d+)</.exec(message);
    return m?.[1] ? [m[1]] : [];
  });

describe('agent failover of the shared client', () => {
  simTest(
    'the datafeed: the agent holding the read is killed; the read goes on on another agent, same feed and ackId',
    async ({ sim, botAccount, alice, im }) => {
      const c = client(sim, botAccount);
      const feed = await c.createDatafeed();
      let ackId = '';
      const got: string[] = [];
      say(sim, im, alice, 'm0');
      let r = await c.readDatafeed(feed.id, ackId);
      got.push(...textsOf(r.events));
      ackId = r.ackId;
      // The feed is sticky: every read on one agent.
      const feedAgent = sim.agents.find((a) => reads(a) > 0) as SimAgentFrontEnd;
      expect(sim.agents.filter((a) => reads(a) > 0)).toEqual([feedAgent]);
      // A read held on that agent (nothing queued), then the agent dies under it.
      const before = reads(feedAgent);
      const held = c.readDatafeed(feed.id, ackId);
      await expect.poll(() => reads(feedAgent)).toBe(before + 1);
      await feedAgent.kill();
      say(sim, im, alice, 'm1');
      say(sim, im, alice, 'm2');
      r = await held;
      got.push(...textsOf(r.events));
      ackId = r.ackId;
      while (got.length < 3) {
        r = await c.readDatafeed(feed.id, ackId);
        got.push(...textsOf(r.events));
        ackId = r.ackId;
      }
      expect(got).toEqual(['m0', 'm1', 'm2']);
      // The feed moved to one other agent and stayed there; the feed and its chain of ackIds are the same.
      const movedTo = sim.agents.filter((a) => a !== feedAgent && reads(a) > 0);
      expect(movedTo).toHaveLength(1);
      // Each event delivered once (no batch lost with the killed agent, so nothing to redeliver).
      expect(sim.control.stats().feeds.find((f) => f.id === feed.id)).toMatchObject({
        expired: false,
        delivered: 3,
        redelivered: 0,
      });
      expect(lines.some((l) => l.msg === 'agent node failed, trying the next one' && l.lane === 'feed')).toBe(
        true,
      );
      await c.deleteDatafeed(feed.id);
    },
  );

  simTest(
    'message sends: round robin, not sticky; a killed agent is skipped, every message posted once',
    async ({ sim, botAccount, im }) => {
      const c = client(sim, botAccount, { stickiness: false });
      const victim = sim.agents[1] as SimAgentFrontEnd;
      await victim.kill();
      const before = sim.agents.map(sends);
      const posted = sim.control.listMessages(im).length;
      for (let i = 0; i < 9; i++) await c.sendMessage(im, { message: `<messageML>s${i}</messageML>` });
      const delta = sim.agents.map((a, i) => sends(a) - (before[i] ?? 0));
      expect(delta[1]).toBe(0);
      expect((delta[0] ?? 0) + (delta[2] ?? 0)).toBe(9);
      expect(delta[0]).toBeGreaterThan(2);
      expect(delta[2]).toBeGreaterThan(2);
      expect(sim.control.listMessages(im).length - posted).toBe(9);
    },
  );

  simTest(
    'a 5xx storm on the sticky agent moves the calls away after 3 answers in a row',
    async ({ sim, botAccount, im }) => {
      const c = client(sim, botAccount, {}, 3);
      await c.sendMessage(im, { message: '<messageML>warm</messageML>' });
      const first = sim.agents.find((a) => sends(a) > 0 && a.up) as SimAgentFrontEnd;
      const before = sim.agents.map(sends);
      first.setFaults({ rules: [{ path: '/agent/v4/stream', error500: 1 }] });
      await c.sendMessage(im, { message: '<messageML>through the storm</messageML>' });
      await c.sendMessage(im, { message: '<messageML>after</messageML>' });
      const delta = sim.agents.map((a, i) => sends(a) - (before[i] ?? 0));
      expect(delta[first.index]).toBe(3); // three 500s, then marked down
      expect(delta.reduce((a, b) => a + b, 0)).toBe(5);
      expect(lines.some((l) => l.msg === 'agent node marked down' && l.reason === 'server-error')).toBe(true);
    },
  );

  simTest(
    'every agent down: the call fails with the connection error (the retry policy decides)',
    async ({ sim, botAccount, im }) => {
      const c = client(sim, botAccount);
      for (const a of sim.agents) await a.kill();
      await expect(c.sendMessage(im, { message: '<messageML>nobody</messageML>' })).rejects.toBeInstanceOf(
        ConnectionError,
      );
    },
  );

  simTest(
    'external: one URL, a dropped connection is sent again at once through it',
    async ({ sim, botAccount, im }) => {
      const lb = sim.agents[2] as SimAgentFrontEnd;
      const c = createSymphonyClient(
        {
          podUrl: sim.url,
          botUsername: 'lb-bot',
          privateKeyPem: botAccount.privateKeyPem,
          agentLoadBalancing: { mode: 'external', nodes: [lb.url] },
          retry: { maxAttempts: 1 },
        },
        { logger },
      );
      clients.push(c);
      lb.setFaults({ rules: [{ path: '/agent/v4/stream', drop: 1, times: 1 }] });
      const before = sends(lb);
      await c.sendMessage(im, { message: '<messageML>via the balancer</messageML>' });
      expect(sends(lb) - before).toBe(2);
    },
  );
});

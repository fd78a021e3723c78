import { setTimeout as sleep } from 'node:timers/promises';
import { createFeedState } from '@baton/ingester';
import type { SimAgentFrontEnd } from '@baton/pod-simulator';
import { waitFor } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { burstReplies, sendEchoRound } from '../support/echo-burst.ts';
import { type PipelineStack, usePipelineStack } from '../support/pipeline-stack.ts';
import { auditReplies, type SentEvent } from '../support/reply-audit.ts';

// `pnpm test:chaos` runs the reduced size (CI); `CHAOS_SIZE=full pnpm test:chaos` the full one.
// Test-harness switch, not service configuration: the one place this drill reads the environment.
const SIZES = {
  reduced: { name: 'reduced', rooms: 4, users: 40, perRoom: 30, roundPauseMs: 250, kills: 1, workers: 2 },
  full: { name: 'full', rooms: 10, users: 200, perRoom: 120, roundPauseMs: 250, kills: 3, workers: 3 },
} as const;
const size = process.env.CHAOS_SIZE === 'full' ? SIZES.full : SIZES.reduced;

const stack = usePipelineStack(
  {
    ...size,
    ingesters: 1,
    keepLogs: true,
    // Three agents over one pod; every service gets them as SYMPHONY_AGENT_URLS. A batch lost with a killed agent
    // would be redelivered after 8 s, after newer events: it would show as a reorder or a redelivery.
    sim: { agents: 3, redeliveryMs: 8_000 },
  },
  { startTimeoutMs: 180_000 },
);

const feedReads = (a: SimAgentFrontEnd) => a.requests()['POST /agent/v5/datafeeds/:id/read'] ?? 0;
const sends = (a: SimAgentFrontEnd) => a.requests()['POST /agent/v4/stream/:sid/message/create'] ?? 0;

/** The agent the ingester reads the feed from now: the one whose read count grows (reads are sticky). */
async function feedAgent(s: PipelineStack): Promise<SimAgentFrontEnd> {
  return waitFor(
    "the feed's agent",
    async () => {
      const before = s.sim.agents.map(feedReads);
      await sleep(1_500); // the simulator holds a read 1 s
      const growing = s.sim.agents.filter((a, i) => a.up && feedReads(a) > (before[i] ?? 0));
      return growing.length === 1 ? growing[0] : undefined;
    },
    20_000,
  );
}

describe(`agent failover drill (${size.name})`, () => {
  it("kills the feed's agent mid-burst: every event answered once, in order, the feed kept", async () => {
    const s = stack();
    const feedState = createFeedState(s.redis, s.prefix);
    const feedBefore = (await feedState.load()).feedId;
    const sent: SentEvent[] = [];
    const kills: { agent: number; at: number; sendsAtKill: number; readsAtKill: number }[] = [];
    const killRounds = Array.from({ length: size.kills }, (_, k) =>
      Math.floor(((k + 1) * size.perRoom) / (size.kills + 1)),
    );

    for (let seq = 0; seq < size.perRoom; seq++) {
      if (killRounds.includes(seq)) {
        // Bring back the agent killed before (it rejoins the pool), then kill the one serving the feed.
        for (const a of s.sim.agents) if (!a.up) await a.revive();
        const victim = await feedAgent(s);
        kills.push({
          agent: victim.index,
          at: Date.now(),
          sendsAtKill: sends(victim),
          readsAtKill: feedReads(victim),
        });
        await victim.kill();
      }
      sent.push(...sendEchoRound(s, 'a', seq));
      await sleep(size.roundPauseMs);
    }

    await waitFor(
      `${sent.length} replies`,
      () => burstReplies(s).length >= sent.length,
      90_000,
      () => s.allLogLines().slice(-30).join('\n'),
    ).catch(() => {});
    await sleep(2_000); // a duplicate would show up now
    const audit = auditReplies(sent, burstReplies(s));
    const diag = () =>
      [
        `kills: ${JSON.stringify(kills)}`,
        `lost: ${audit.lost.map((e) => e.text).join(', ')}`,
        `duplicated: ${audit.duplicatedEvents.map((d) => d.event.text).join(', ')}`,
        `reordered: ${audit.reorderedEvents.map((r) => r.event.text).join(', ')}`,
        ...[...s.ingesters, ...s.workers].map((p) => p.tail(8)),
      ].join('\n');

    expect(kills).toHaveLength(size.kills);
    expect(audit.events).toBe(size.rooms * size.perRoom);
    expect(audit.lost, diag()).toEqual([]);
    expect(audit.duplicated, diag()).toBe(0);
    expect(audit.reordered, diag()).toBe(0);
    expect(audit.unexpected, diag()).toEqual([]);
    expect(await s.deadLetters(), diag()).toEqual([]);
    // The one feed all along: moved between agents, never recreated, nothing redelivered.
    expect((await feedState.load()).feedId).toBe(feedBefore);
    expect(await feedState.recreations()).toEqual([]);
    const feed = s.sim.control.stats().feeds.find((f) => f.id === feedBefore);
    expect(feed, diag()).toMatchObject({ expired: false, redelivered: 0 });
    // The last victim (still dead) got no read and no send after its kill: the ingester and the workers moved.
    const last = kills.at(-1)!;
    const lastVictim = s.sim.agents[last.agent]!;
    expect(lastVictim.up).toBe(false);
    expect(feedReads(lastVictim)).toBe(last.readsAtKill);
    expect(sends(lastVictim)).toBe(last.sendsAtKill);
    const lines = s.allLogLines();
    expect(
      lines.some((l) => l.startsWith('ingester') && l.includes('agent calls moved to another node')),
    ).toBe(true);
    expect(s.ingesters.every((i) => i.running) && s.workers.every((w) => w.running)).toBe(true);
    console.log(
      `[agent drill] ${audit.events} events, ${kills.length} kill(s) of the feed's agent, ` +
        `worker failovers logged: ${lines.filter((l) => l.startsWith('worker') && l.includes('agent node failed')).length}`,
    );
  }, 600_000);
});

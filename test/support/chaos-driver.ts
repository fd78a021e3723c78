import { setTimeout as sleep } from 'node:timers/promises';
import { createFeedState } from '@baton/ingester';
import type { DeadLetter } from '@baton/shared';
import { waitFor } from '@baton/testing';
import { burstReplies, sendEchoRound, waitForBacklog } from './echo-burst.ts';
import type { PipelineStack } from './pipeline-stack.ts';
import { type AuditResult, auditReplies, type LossWindow, type SentEvent } from './reply-audit.ts';

export const FAULT_KINDS = [
  'ingester-leader-sigkill',
  'ingester-leader-kill-mid-batch',
  'http-500',
  'worker-sigkill',
  'http-429-retry-after',
  'redis-kill-restart',
  'latency-spike',
  'session-invalidation',
  'feed-expiry',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface DrillSize {
  name: string;
  rooms: number;
  /** Senders (the reference bot allows 30 commands per user per minute). */
  users: number;
  perRoom: number;
  /** Pause between two rounds (one command per room each). */
  roundPauseMs: number;
  /** Rounds of the whole fault schedule at least (faults go on while the burst lasts). */
  cycles: number;
  workers: number;
  /**
   * Kills of the ingester leader between a read and the store of its batch per `ingester-leader-kill-mid-batch`
   * fault (the batch is then redelivered by the feed after newer events were read).
   */
  midBatchKills: number;
}

export const DRILL_SIZES: Record<'reduced' | 'full', DrillSize> = {
  reduced: {
    name: 'reduced',
    rooms: 6,
    users: 60,
    perRoom: 50,
    roundPauseMs: 1_000,
    cycles: 1,
    workers: 2,
    midBatchKills: 3,
  },
  full: {
    name: 'full',
    rooms: 20,
    users: 400,
    perRoom: 250,
    roundPauseMs: 700,
    cycles: 3,
    workers: 3,
    midBatchKills: 5,
  },
};

export interface FaultRecord {
  kind: FaultKind;
  at: number;
  /** From the fault's start to the reply to a canary command sent then (or after the fault, see docs). */
  recoveryMs?: number;
  /** Why the fault was skipped or anything notable. */
  note?: string;
}

export interface DrillResult {
  size: DrillSize;
  audit: AuditResult;
  faults: FaultRecord[];
  canariesUnanswered: string[];
  deadLetters: { id: string; data: DeadLetter }[];
  feedRecreations: number;
  lossWindows: LossWindow[];
  /** Streams on which a worker logged a fenced ack: a deposed drainer had been working there. */
  fencedStreams: Set<string>;
  /** Duplicated events in those streams (the known deposed-drainer bug, see docs/fault-drills.md). */
  duplicatesByDeposedDrainer: number;
  /**
   * Reorders explained by a deposed ingester leader: it read a batch, could not store it before a new leader
   * fenced it (logged "enqueue fenced" / "ackId not stored"), and Symphony redelivered those unacknowledged
   * events to the new leader after later ones (datafeed v2 semantics; see docs/ingester.md). 0 when no ingester
   * logged that.
   */
  reordersAfterFencedIngesterBatch: number;
  /** Leader kills that landed between a read (with events) and the store of its batch. */
  midBatchKills: number;
  /** Events the workers delivered flagged late (`ctx.late`: newer events of the stream were handled first). */
  lateDeliveries: number;
  /** Reordered replies whose event was delivered flagged late (the bot could tell). */
  reordersFlaggedLate: number;
  /** Reordered replies whose event was not flagged late: out of order without anyone being told. Must be 0. */
  silentReorders: SentEvent[];
  /** Events the simulator's feeds delivered again (unacknowledged batches). */
  redelivered: number;
  durationMs: number;
}

/** Fault windows (ms) for the toggled simulator faults. */
const WINDOW_MS = 3_000;

/**
 * Runs the fault drill on a started stack: a paced burst of `@bot /echo s<room>:<seq>` commands across the
 * rooms while a fault loop injects, one after the other, every fault kind (`cycles` times), each followed by a
 * canary command whose reply time is the fault's recovery time. Then waits for the backlog and audits every
 * reply the simulator recorded.
 */
export async function runChaosDrill(
  stack: PipelineStack,
  size: DrillSize,
  log: (line: string) => void = () => {},
): Promise<DrillResult> {
  const t0 = Date.now();
  const { sim } = stack;
  const mention = `@${stack.bot.username}`;
  const sent: SentEvent[] = [];
  let midBatchKills = 0;
  const faults: FaultRecord[] = [];
  const lossWindows: LossWindow[] = [];
  const canaryUser = stack.userIds[0] as number;
  const canaries: { text: string; fault: FaultRecord }[] = [];

  // The sender waits on this gate while a fault needs the feed drained (feed expiry).
  let gate: Promise<void> = Promise.resolve();
  let openGate: () => void = () => {};
  const closeGate = () => {
    gate = new Promise<void>((r) => {
      openGate = r;
    });
  };

  const answeredCount = (): number => burstReplies(stack).length;

  let senderDone = false;
  const sender = (async () => {
    for (let seq = 0; seq < size.perRoom; seq++) {
      await gate;
      sent.push(...sendEchoRound(stack, 's', seq));
      await sleep(size.roundPauseMs);
    }
    senderDone = true;
  })();

  const canary = (fault: FaultRecord) => {
    const text = `c${canaries.length}`;
    canaries.push({ text, fault });
    sim.control.sendMessage(stack.controlRoom, { fromUserId: canaryUser, text: `${mention} /echo ${text}` });
    return text;
  };
  const canaryAnswered = (text: string) =>
    stack.botMessages(stack.controlRoom).find((m) => m.text === text)?.timestamp;

  let workerTurn = 0;
  const background: Promise<unknown>[] = [];

  async function inject(kind: FaultKind): Promise<FaultRecord> {
    const rec: FaultRecord = { kind, at: Date.now() };
    switch (kind) {
      case 'ingester-leader-sigkill': {
        const leader = await stack.leaderId();
        const victim = stack.ingesters.find((i) => leader?.split('#')[0] === i.name);
        if (!victim?.running) {
          rec.note = `no running leader found (${leader ?? 'none'})`;
          break;
        }
        rec.at = Date.now();
        await victim.kill('SIGKILL');
        rec.note = `killed ${victim.name}`;
        // It comes back a second later, as a standby.
        background.push(sleep(1_000).then(() => victim.start()));
        break;
      }
      case 'ingester-leader-kill-mid-batch': {
        // The proxy holds the answer to the leader's next datafeed read that carries events: Symphony has
        // handed the batch out, the leader has not stored it. It is SIGKILLed right then, so the feed
        // redelivers the batch after its redelivery delay, when the next leader has read newer events.
        const proxy = stack.proxy;
        if (!proxy) {
          rec.note = 'skipped: needs the proxy in front of the simulator (recordTokens)';
          break;
        }
        let landed = 0;
        for (let k = 0; k < size.midBatchKills; k++) {
          // A leader that runs (a killed one's lease lingers until it expires).
          const victim = await waitFor(
            'a running leader',
            async () => {
              const leader = await stack.leaderId();
              return stack.ingesters.find((i) => i.running && leader?.split('#')[0] === i.name);
            },
            30_000,
          ).catch(() => undefined);
          if (!victim) continue;
          let onHold: () => void = () => {};
          const held = new Promise<void>((resolve) => {
            onHold = resolve;
          });
          proxy.delayResponses({
            method: 'POST',
            pathIncludes: '/read',
            ms: 2_000,
            times: 1,
            minBytes: 400,
            onHold: () => {
              void victim.kill('SIGKILL');
              onHold();
            },
          });
          const hit = await Promise.race([held.then(() => true), sleep(15_000).then(() => false)]);
          if (!hit) {
            proxy.delayResponses({ method: 'POST', pathIncludes: '/read', ms: 0, times: 0 });
            continue;
          }
          if (landed === 0) rec.at = Date.now();
          landed += 1;
          await victim.exited();
          background.push(sleep(1_000).then(() => victim.start()));
          // Let the next leader take over and read newer events before the redelivery, then go again.
          await sleep(4_000);
        }
        midBatchKills += landed;
        rec.note =
          landed > 0 ? `${landed} kill(s) between a read and its store` : 'no read with events was caught';
        break;
      }
      case 'worker-sigkill': {
        const live = stack.workers.filter((w) => w.running);
        if (live.length < 2) {
          rec.note = 'skipped: fewer than 2 workers running';
          break;
        }
        const victim = live[workerTurn++ % live.length]!;
        rec.at = Date.now();
        await victim.kill('SIGKILL');
        rec.note = `killed ${victim.name}`;
        background.push(sleep(1_000).then(() => stack.startWorker(victim)));
        break;
      }
      case 'redis-kill-restart': {
        rec.at = Date.now();
        await stack.redisServer.kill();
        await sleep(2_000);
        await stack.redisServer.start();
        rec.note = 'SIGKILL, restarted after 2 s (AOF)';
        break;
      }
      case 'http-500':
      case 'http-429-retry-after':
      case 'latency-spike': {
        const rule =
          kind === 'http-500'
            ? { error500: 0.3 }
            : kind === 'http-429-retry-after'
              ? { error429: 0.3, retryAfterSeconds: 1 }
              : { latencyMs: 700 };
        sim.control.setFaults({
          seed: faults.length + 1,
          rules: ['/agent', '/pod', '/login', '/relay'].map((path) => ({ path, ...rule })),
        });
        rec.at = Date.now();
        background.push(sleep(WINDOW_MS).then(() => sim.control.clearFaults()));
        rec.note = `${JSON.stringify(rule)} on every API for ${WINDOW_MS} ms`;
        break;
      }
      case 'session-invalidation': {
        rec.at = Date.now();
        sim.control.invalidateSessions();
        break;
      }
      case 'feed-expiry': {
        // Symphony deletes an expired v2 feed with what it holds: expire it only once everything sent so far
        // was answered (so nothing is in it), and send nothing until the ingester has a new feed.
        closeGate();
        try {
          let drained = true;
          await waitFor('the backlog', () => answeredCount() >= sent.length, 90_000).catch(() => {
            drained = false;
          });
          const expiredBefore = sim.control.stats().feedsExpired;
          rec.at = Date.now();
          sim.control.expireFeeds();
          await waitFor(
            'the ingester to create a new feed',
            () => {
              const s = sim.control.stats();
              return s.feedsExpired > expiredBefore && s.feeds.some((f) => !f.expired);
            },
            60_000,
          );
          lossWindows.push({ from: rec.at, to: Date.now(), reason: 'v2 feed expired: no feed existed' });
          rec.note = `${drained ? 'feed drained first' : 'backlog NOT drained first'}; no feed for ${Date.now() - rec.at} ms`;
        } finally {
          openGate();
        }
        break;
      }
    }
    faults.push(rec);
    return rec;
  }

  const faultLoop = (async () => {
    await sleep(2_000);
    // At least `cycles` rounds of every fault, and faults for as long as the burst lasts.
    for (let cycle = 0; cycle < size.cycles || !senderDone; cycle++) {
      for (const kind of FAULT_KINDS) {
        if (cycle >= size.cycles && senderDone) break;
        const rec = await inject(kind);
        if (rec.note?.startsWith('skipped') || rec.note?.startsWith('no running')) {
          log(`fault ${kind}: ${rec.note}`);
          continue;
        }
        const text = canary(rec);
        try {
          await waitFor(`canary ${text} after ${kind}`, () => canaryAnswered(text) !== undefined, 90_000);
          rec.recoveryMs = (canaryAnswered(text) ?? Date.now()) - rec.at;
        } catch {
          rec.note = `${rec.note ?? ''} (canary unanswered after 90 s)`;
        }
        log(`fault ${kind}: recovered in ${rec.recoveryMs ?? '?'} ms ${rec.note ?? ''}`);
        await sleep(1_000);
      }
    }
  })();

  await Promise.all([sender, faultLoop]);
  await Promise.allSettled(background);
  sim.control.clearFaults();

  await waitForBacklog(answeredCount, sent.length);

  const audit = auditReplies(sent, burstReplies(stack), lossWindows);
  const canaryTexts = new Set(stack.botMessages(stack.controlRoom).map((m) => m.text));
  const feedState = createFeedState(stack.redis, stack.prefix);
  const fencedStreams = new Set<string>();
  for (const line of stack.allLogLines()) {
    if (!line.includes('ack fenced')) continue;
    const id = /"streamId":"([^"]+)"/.exec(line)?.[1];
    if (id) fencedStreams.add(id);
  }
  const ingesterBatchFenced = stack
    .allLogLines()
    .some((line) => line.includes('"stepping down"') && /enqueue fenced|ackId not stored/.test(line));
  // Every late delivery is logged by the worker with the event's messageId (and counted in a metric).
  const lateIds = new Set<string>();
  for (const line of stack.allLogLines()) {
    if (!line.includes('event delivered late')) continue;
    const id = /"messageId":"([^"]+)"/.exec(line)?.[1];
    if (id) lateIds.add(id);
  }
  const drillIds = new Set(sent.map((e) => e.messageId));
  const silentReorders = audit.reorderedEvents
    .filter((r) => !lateIds.has(r.event.messageId ?? ''))
    .map((r) => r.event);
  const feedsNow = sim.control.stats().feeds as { redelivered?: number }[];
  return {
    midBatchKills,
    lateDeliveries: [...lateIds].filter((id) => drillIds.has(id)).length,
    reordersFlaggedLate: audit.reordered - silentReorders.length,
    silentReorders,
    redelivered: feedsNow.reduce((n, f) => n + (f.redelivered ?? 0), 0),
    fencedStreams,
    reordersAfterFencedIngesterBatch: ingesterBatchFenced ? audit.reordered : 0,
    duplicatesByDeposedDrainer: audit.duplicatedEvents
      .filter((d) => fencedStreams.has(d.event.stream))
      .reduce((n, d) => n + d.replyTimes.length - 1, 0),
    size,
    audit,
    faults,
    canariesUnanswered: canaries.filter((c) => !canaryTexts.has(c.text)).map((c) => c.text),
    deadLetters: await stack.deadLetters(),
    feedRecreations: (await feedState.recreations()).length,
    lossWindows,
    durationMs: Date.now() - t0,
  };
}

/** The drill's summary table (faults, events, lost, duplicated, reordered, recovery times). */
export function formatDrillTable(r: DrillResult): string {
  const rows: string[][] = [['fault', 'injected', 'recovery ms (min / median / max)', 'notes']];
  for (const kind of FAULT_KINDS) {
    const recs = r.faults.filter((f) => f.kind === kind);
    const times = recs
      .map((f) => f.recoveryMs)
      .filter((t): t is number => t !== undefined)
      .sort((a, b) => a - b);
    const stat = times.length
      ? `${times[0]} / ${times[Math.floor(times.length / 2)]} / ${times[times.length - 1]}`
      : '-';
    const notes = [...new Set(recs.map((f) => f.note?.replace(/ingester-\d|worker-\d/g, '<n>') ?? ''))].join(
      '; ',
    );
    rows.push([kind, String(recs.length), stat, notes]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const fmt = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ');
  const a = r.audit;
  const summary = [
    ['size', r.size.name],
    ['events sent', String(a.events)],
    ['answered', String(a.answered)],
    ['lost', String(a.lost.length)],
    [
      'lost to feed expiry (reported by the ingester)',
      `${a.lostInWindow.length} (feed recreations: ${r.feedRecreations})`,
    ],
    [
      'duplicated',
      `${a.duplicated} (in streams a deposed drainer worked on: ${r.duplicatesByDeposedDrainer})`,
    ],
    ['streams taken over from a live drainer (fenced acks)', String(r.fencedStreams.size)],
    [
      'reordered',
      `${a.reordered} (after a deposed ingester's batch was redelivered: ${r.reordersAfterFencedIngesterBatch})`,
    ],
    ['leader kills between a read and its store', String(r.midBatchKills)],
    ['events redelivered by the feed', String(r.redelivered)],
    ['late deliveries (flagged: ctx.late, metric, log)', String(r.lateDeliveries)],
    ['reorders flagged late', String(r.reordersFlaggedLate)],
    ['reorders handled silently (must be 0)', String(r.silentReorders.length)],
    ['unexpected replies', String(a.unexpected.length)],
    ['dead letters', String(r.deadLetters.length)],
    ['canaries unanswered', String(r.canariesUnanswered.length)],
    ['duration', `${Math.round(r.durationMs / 1000)} s`],
  ];
  const w = Math.max(...summary.map(([k]) => (k ?? '').length));
  return [
    fmt(rows[0]!),
    widths.map((n) => '-'.repeat(n)).join('  '),
    ...rows.slice(1).map(fmt),
    '',
    ...summary.map(([k, v]) => `${(k ?? '').padEnd(w)}  ${v}`),
  ].join('\n');
}

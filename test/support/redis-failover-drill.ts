import { setTimeout as sleep } from 'node:timers/promises';
import { bullmqPrefix, type DeadLetter, ingestKeys } from '@baton/shared';
import type { SpawnedRedis } from '@baton/shared/testing';
import { waitFor } from '@baton/testing';
import { expect } from 'vitest';
import { burstReplies, sendEchoRound, waitForBacklog } from './echo-burst.ts';
import type { PipelineStack } from './pipeline-stack.ts';
import { type AuditResult, auditReplies, type SentEvent } from './reply-audit.ts';

export interface FailoverDrillSize {
  name: string;
  rooms: number;
  /** Senders (the reference bot allows 30 commands per user per minute). */
  users: number;
  /** Commands per room in one burst. */
  perRoom: number;
  /** Pause between two rounds (one command per room each). */
  roundPauseMs: number;
  /** The round after which the master is killed. */
  killAtRound: number;
  workers: number;
}

export const FAILOVER_DRILL_SIZES: Record<'reduced' | 'full', FailoverDrillSize> = {
  reduced: {
    name: 'reduced',
    rooms: 6,
    users: 60,
    perRoom: 40,
    roundPauseMs: 250,
    killAtRound: 12,
    workers: 2,
  },
  full: { name: 'full', rooms: 20, users: 400, perRoom: 200, roundPauseMs: 250, killAtRound: 60, workers: 3 },
};

export interface FailoverRecord {
  /** The data node killed (`127.0.0.1:port`), and what lived on it. */
  victim: string;
  holds: string[];
  killedAt: number;
  /** From the kill to the topology naming a new master (Sentinel) / the victim's slots served again (Cluster). */
  promotedAfterMs: number;
  /** From the kill to the reply to a canary command sent right after it. */
  recoveryMs: number | undefined;
  /** Longest gap between two consecutive replies (any burst room) around the kill. */
  longestReplyGapMs: number;
}

export interface BurstResult {
  audit: AuditResult;
  failover: FailoverRecord | undefined;
  deadLetters: { id: string; data: DeadLetter }[];
  /** Worker log lines "handler failed: retrying in place" (attempts consumed) and their error messages. */
  handlerRetries: number;
  handlerFailedForGood: number;
  retryErrors: string[];
  /** Events the simulator's feeds delivered again (unacknowledged batches). */
  redelivered: number;
  /** Events delivered flagged late (`ctx.late`). */
  lateDeliveries: number;
  durationMs: number;
}

/** What the victim node served: the BullMQ queues, the ingester's lease and feed keys, mailbox partitions. */
async function holdings(stack: PipelineStack, victim: SpawnedRedis, partitions: number): Promise<string[]> {
  const cluster = stack.cluster;
  if (!cluster) return ['everything (the only master)'];
  const out: string[] = [];
  if ((await cluster.masterOf(`${bullmqPrefix(stack.prefix)}:x`)) === victim) out.push('the BullMQ queues');
  if ((await cluster.masterOf(ingestKeys(stack.prefix).leader)) === victim)
    out.push('the ingester lease + feed');
  const parts: number[] = [];
  for (let p = 0; p < partitions; p++) {
    if ((await cluster.masterOf(`${stack.prefix}:mb:{p${p}}:x`)) === victim) parts.push(p);
  }
  if (parts.length > 0) out.push(`mailbox partitions ${parts.join(',')}`);
  return out;
}

/**
 * A paced burst of `@bot /echo <tag><room>:<seq>` commands across the stack's rooms. With `kill`, the current
 * Redis master is SIGKILLed after `killAtRound` rounds (Cluster: the master of the BullMQ queues' slot; Sentinel:
 * the master), a canary command is sent at once, the promotion is awaited and the victim is started again (it
 * rejoins as a replica). Then waits for the backlog and audits every reply the simulator recorded.
 */
export async function runFailoverBurst(
  stack: PipelineStack,
  size: FailoverDrillSize,
  opts: { tag: string; kill: boolean; partitions?: number },
  log: (line: string) => void = () => {},
): Promise<BurstResult> {
  const t0 = Date.now();
  const { sim } = stack;
  const sent: SentEvent[] = [];
  const repliesBefore = new Map(stack.rooms.map((r) => [r, stack.botMessages(r).length]));
  const retryLinesBefore = stack.allLogLines().length;
  const redeliveredSoFar = () =>
    (sim.control.stats().feeds as { redelivered?: number }[]).reduce((n, f) => n + (f.redelivered ?? 0), 0);
  const redeliveredBefore = redeliveredSoFar();
  let failover: FailoverRecord | undefined;
  let killed: Promise<void> = Promise.resolve();

  const kill = async (): Promise<void> => {
    const victim = stack.cluster
      ? await stack.cluster.masterOf(`${bullmqPrefix(stack.prefix)}:x`)
      : await stack.sentinel?.currentMaster();
    if (!victim) throw new Error('runFailoverBurst: kill needs a Cluster or Sentinel topology');
    const holds = await holdings(stack, victim, opts.partitions ?? 16);
    const killedAt = Date.now();
    await victim.kill();
    const canary = `${opts.tag}-canary`;
    stack.say(stack.controlRoom, `@${stack.bot.username} /echo ${canary}`);
    if (stack.cluster) await stack.cluster.waitHealthy(60_000, `${bullmqPrefix(stack.prefix)}:x`);
    else await stack.sentinel?.waitPromotion(victim, 60_000);
    const promotedAfterMs = Date.now() - killedAt;
    log(`killed ${victim.url} (${holds.join('; ')}); promoted after ${promotedAfterMs} ms`);
    // The old master comes back and rejoins as a replica of the promoted one.
    await sleep(1_000);
    await victim.start();
    const answered = () => stack.botMessages(stack.controlRoom).find((m) => m.text === canary)?.timestamp;
    await waitFor(`canary ${canary}`, () => answered() !== undefined, 120_000).catch(() => undefined);
    const at = answered();
    failover = {
      victim: victim.url.replace('redis://', ''),
      holds,
      killedAt,
      promotedAfterMs,
      recoveryMs: at === undefined ? undefined : at - killedAt,
      longestReplyGapMs: 0,
    };
    log(`canary answered ${failover.recoveryMs ?? 'never'} ms after the kill`);
  };

  for (let seq = 0; seq < size.perRoom; seq++) {
    if (opts.kill && seq === size.killAtRound) killed = kill();
    sent.push(...sendEchoRound(stack, opts.tag, seq));
    await sleep(size.roundPauseMs);
  }
  await killed;

  await waitForBacklog(() => burstReplies(stack, repliesBefore).length, sent.length);
  const replies = burstReplies(stack, repliesBefore);
  if (failover) {
    const f: FailoverRecord = failover;
    const times = replies.map((r) => r.timestamp).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) {
      const [a, b] = [times[i - 1] as number, times[i] as number];
      if (b >= f.killedAt && a <= f.killedAt + (f.recoveryMs ?? 60_000)) {
        f.longestReplyGapMs = Math.max(f.longestReplyGapMs, b - a);
      }
    }
  }
  const lines = stack.allLogLines().slice(retryLinesBefore);
  const retryLines = lines.filter((l) => l.includes('handler failed: retrying in place'));
  const retryErrors = [
    ...new Set(retryLines.map((l) => /"message":"([^"]{0,160})/.exec(l)?.[1] ?? '?')),
  ].slice(0, 8);
  return {
    audit: auditReplies(sent, replies),
    failover,
    deadLetters: await stack.deadLetters(),
    handlerRetries: retryLines.length,
    handlerFailedForGood: lines.filter((l) => l.includes('handler failed for good')).length,
    retryErrors,
    redelivered: redeliveredSoFar() - redeliveredBefore,
    lateDeliveries: lines.filter((l) => l.includes('event delivered late')).length,
    durationMs: Date.now() - t0,
  };
}

/**
 * What every burst must show, a failover or not: each of its events answered exactly once and in order, no
 * other reply (no "Sorry, something went wrong"), nothing dead-lettered (a Redis failover is no handler failure).
 */
export function expectCleanBurst(r: BurstResult, size: FailoverDrillSize, diag: string): void {
  expect(r.audit.events).toBe(size.rooms * size.perRoom);
  expect(r.audit.lost, diag).toEqual([]);
  expect(r.audit.duplicated, diag).toBe(0);
  expect(r.audit.reordered, diag).toBe(0);
  expect(r.audit.unexpected, diag).toEqual([]);
  expect(r.deadLetters, diag).toEqual([]);
}

/** One line per figure, for the drill's log and the report. */
export function formatBurst(topology: string, r: BurstResult): string {
  const a = r.audit;
  const f = r.failover;
  return [
    `topology                 ${topology}`,
    `events sent / answered   ${a.events} / ${a.answered}`,
    `lost                     ${a.lost.length}`,
    `duplicated               ${a.duplicated}`,
    `reordered                ${a.reordered} (late deliveries flagged: ${r.lateDeliveries})`,
    `unexpected replies       ${a.unexpected.length}`,
    `dead letters             ${r.deadLetters.length}`,
    `handler retries          ${r.handlerRetries} (failed for good: ${r.handlerFailedForGood})${r.retryErrors.length ? ` errors: ${r.retryErrors.join(' | ')}` : ''}`,
    `feed redeliveries        ${r.redelivered}`,
    ...(f
      ? [
          `killed                   ${f.victim} (${f.holds.join('; ')})`,
          `promoted after           ${f.promotedAfterMs} ms`,
          `canary answered after    ${f.recoveryMs ?? 'never'} ms`,
          `longest reply gap        ${f.longestReplyGapMs} ms`,
        ]
      : []),
    `duration                 ${Math.round(r.durationMs / 1000)} s`,
  ].join('\n');
}

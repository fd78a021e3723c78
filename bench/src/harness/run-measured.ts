import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchResult } from '../bench-result.ts';
import { type BenchPod, createBenchPod } from './bench-pod.ts';
import { type CpuHog, startCpuHog } from './cpu-hog.ts';
import { summarizeLatency } from './percentiles.ts';
import { readProcUsage } from './proc-usage.ts';
import { commandStatsDelta, readCommandStats } from './redis-command-stats.ts';
import { createReplyTracker, type ReplyTracker } from './reply-tracker.ts';
import { runCost } from './run-cost.ts';
import { type RunningVariant, startVariant } from './start-variant.ts';
import { createUsageSampler } from './usage-sampler.ts';
import { type Variant, variantName } from './variant.ts';

export interface RunSpec {
  scenario: string;
  variant: Variant;
  feedVersion: 'v1' | 'v2';
  streams: number;
  /** Handler time reported in the result (the load decides the real one per message). */
  handlerMs: number;
  capSeconds: number;
  /** Injects the load (resolves when the last message is injected). */
  load: (pod: BenchPod, tracker: ReplyTracker) => Promise<unknown>;
  /** Streams that count in the figures (default all). */
  counts?: (stream: number) => boolean;
  workerEnv?: Record<string, string>;
  ingesterEnv?: Record<string, string>;
  /** Baton: the workers start only once every event is in Redis (ingest and drain measured apart). */
  deferWorkersUntilIngested?: boolean;
  /** Write V8 CPU profiles of the spawned processes into this directory. */
  cpuProfileDir?: string;
  /** Runs before the variant starts (e.g. fill a feed so the ingester starts on a backlog). */
  preload?: (pod: BenchPod, tracker: ReplyTracker) => Promise<void>;
  /** Called while the variant runs, after the load and the drain (e.g. redis-benchmark on its Redis). */
  afterDrain?: (running: RunningVariant) => Promise<Record<string, unknown>>;
  /** Busy-loop processes to run beside the stack from the load's start to the end of the drain. */
  cpuHogProcesses?: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * One measured run: fresh pod (and Redis), start the variant, inject the load, wait until every counted event
 * is answered or the cap passes, then collect feed stats, latency, order, duplicates, CPU and RSS.
 */
export async function runMeasured(spec: RunSpec): Promise<BenchResult> {
  const counts = spec.counts ?? (() => true);
  const pod = await createBenchPod({ streams: spec.streams });
  const tracker = createReplyTracker();
  const unsubscribe = pod.onBotReply((text, at) => tracker.replySeen(text, at));
  const notes: string[] = [];
  let running: RunningVariant | undefined;
  let hog: CpuHog | undefined;
  try {
    await spec.preload?.(pod, tracker);
    running = await startVariant(spec.variant, pod, {
      feedVersion: spec.feedVersion,
      ...(spec.workerEnv ? { workerEnv: spec.workerEnv } : {}),
      ...(spec.ingesterEnv ? { ingesterEnv: spec.ingesterEnv } : {}),
      ...(spec.cpuProfileDir ? { cpuProfileDir: spec.cpuProfileDir } : {}),
      ...(spec.deferWorkersUntilIngested ? { deferWorkers: true } : {}),
    });
    const self = { pid: process.pid, usage: () => readProcUsage(process.pid) };
    const sampler = createUsageSampler({ ...running.roles, 'simulator+driver': [self] });
    const statsRedis = running.redisClient;
    const commandsBefore = statsRedis ? await readCommandStats(statsRedis) : undefined;
    if (spec.cpuHogProcesses) {
      hog = startCpuHog(spec.cpuHogProcesses);
      notes.push(`${spec.cpuHogProcesses} busy-loop processes ran beside the stack`);
    }
    sampler.start();
    const loadStart = round2(loadavg()[0] ?? 0);
    const t0 = Date.now();
    const capAt = t0 + spec.capSeconds * 1000;
    let injectMs = 0;
    let ingestMs: number | null = null;
    let firstEnqueued: { at: number; n: number } | undefined;
    let lastEnqueuedAt: number | undefined;
    const loadDone = spec.load(pod, tracker).then(() => {
      injectMs = Date.now() - t0;
    });
    let loadFinished = false;
    void loadDone.then(() => {
      loadFinished = true;
    });
    const countedDone = () => {
      const r = tracker.report(counts);
      return r.injected > 0 && r.lost === 0;
    };
    for (;;) {
      if (running.enqueued && ingestMs === null) {
        const n = await running.enqueued().catch(() => 0);
        const at = Date.now();
        if (n > 0 && !firstEnqueued) firstEnqueued = { at, n };
        if (loadFinished && n >= tracker.injectedCount) {
          ingestMs = at - t0;
          lastEnqueuedAt = at;
          if (running.startWorkers) {
            const t = Date.now();
            await running.startWorkers();
            notes.push(
              `workers started after the ingest (${((Date.now() - t) / 1000).toFixed(1)} s to start)`,
            );
          }
        }
      }
      if (loadFinished && countedDone() && (ingestMs !== null || !running.enqueued)) break;
      if (Date.now() >= capAt) break;
      await sleep(running.enqueued && ingestMs === null ? 20 : 50);
    }
    await loadDone;
    const usage = sampler.stop();
    await hog?.stop();
    hog = undefined;
    const commands =
      statsRedis && commandsBefore
        ? commandStatsDelta(commandsBefore, await readCommandStats(statsRedis))
        : undefined;
    const report = tracker.report(counts);
    const allDone = report.lost === 0;
    const lastAt = tracker.lastAnswerAt();
    const drainSeconds = allDone && lastAt !== undefined ? round2((lastAt - t0) / 1000) : null;
    if (!allDone) notes.push(`cap of ${spec.capSeconds} s reached with ${report.lost} events unanswered`);
    if (running.enqueued && ingestMs === null) notes.push('not every event reached Redis before the cap');
    const rates: Record<string, number> = {};
    // Late duplicates: give in-flight replies a moment to land before counting.
    await sleep(500);
    if (running.enqueued) {
      // Events that never reached Redis were dropped with an expired feed (or were still in the feed at the cap).
      const inRedis = await running.enqueued().catch(() => undefined);
      if (inRedis !== undefined) rates.neverEnqueued = Math.max(0, tracker.injectedCount - inRedis);
    }
    const extra = spec.afterDrain ? await spec.afterDrain(running) : undefined;
    const finalReport = tracker.report(counts);
    const feed = pod.feedStats();
    const latency = summarizeLatency(report.latenciesMs);
    const windowS = drainSeconds ?? spec.capSeconds;
    if (firstEnqueued && lastEnqueuedAt !== undefined && lastEnqueuedAt > firstEnqueued.at) {
      rates.ingestEventsPerSecond = Math.round(
        (report.injected - firstEnqueued.n) / ((lastEnqueuedAt - firstEnqueued.at) / 1000),
      );
    }
    const answers = tracker.answerTimes();
    if (answers.length > 1) {
      const first = answers[0] ?? 0;
      const last = answers[answers.length - 1] ?? 0;
      if (last > first)
        rates.completeEventsPerSecond = Math.round((answers.length - 1) / ((last - first) / 1000));
    }
    if (finalReport.unknownReplies > 0)
      notes.push(`${finalReport.unknownReplies} replies without a known tag`);
    return {
      scenario: spec.scenario,
      variant: variantName(spec.variant),
      feedVersion: spec.feedVersion,
      events: report.injected,
      streams: spec.streams,
      handlerMs: spec.handlerMs,
      lost: report.lost,
      duplicates: finalReport.duplicates,
      orderViolations: finalReport.orderViolations,
      feedHighWater: feed.highWater,
      feedExpired: feed.expired,
      feedRedelivered: feed.redelivered,
      ingestSeconds: ingestMs === null ? null : round2(ingestMs / 1000),
      drainSeconds,
      injectSeconds: round2(injectMs / 1000),
      capSeconds: spec.capSeconds,
      latencyMs: { p50: latency.p50, p95: latency.p95, p99: latency.p99, max: latency.max },
      eventsPerSecond: round2(report.answered / windowS),
      usage,
      cost: runCost(usage, report.answered, commands),
      extra: { ...rates, ...extra },
      loadAverage1m: { start: loadStart, end: round2(loadavg()[0] ?? 0) },
      notes,
    };
  } finally {
    await hog?.stop();
    unsubscribe();
    await running?.stop().catch(() => {});
    await pod.close();
  }
}

import { describe, expect, it } from 'vitest';
import {
  DRILL_SIZES,
  type DrillResult,
  FAULT_KINDS,
  formatDrillTable,
  runChaosDrill,
} from '../support/chaos-driver.ts';
import { usePipelineStack } from '../support/pipeline-stack.ts';

// `pnpm test:chaos` runs the reduced drill (CI); `CHAOS_SIZE=full pnpm test:chaos` the real one (minutes).
// Test-harness switch, not service configuration: the one place this drill reads the environment.
const size = process.env.CHAOS_SIZE === 'full' ? DRILL_SIZES.full : DRILL_SIZES.reduced;

/**
 * A drainer that lost its BullMQ lock (e.g. during the Redis restart) once posted the reply of the event in hand
 * after the new owner had posted it (stalled-worker.chaos.test.ts). Fixed: no duplicate is tolerated.
 */
const TOLERATE_DEPOSED_DRAINER_DUPLICATES = false;

const stack = usePipelineStack(
  {
    ...size,
    ingesters: 2,
    keepLogs: true, // the fenced-ack and late-delivery scans read every worker line
    // The proxy holds a datafeed answer while the leader is killed (ingester-leader-kill-mid-batch).
    recordTokens: true,
    // Symphony redelivers an unacknowledged v2 batch after 30 s, a failover takes ~13 s: keep that ratio with
    // the drill's 3 s leases, so a redelivered batch arrives after the next leader has read newer events.
    sim: { redeliveryMs: 8_000 },
  },
  { startTimeoutMs: 180_000 },
);
let result: DrillResult | undefined;

describe(`fault drill (${size.name})`, () => {
  it('answers every event exactly once, in order per stream, through every fault', async () => {
    const s = stack();
    result = await runChaosDrill(s, size, (line) => console.log(`[drill] ${line}`));
    console.log(`\nFault drill results\n${formatDrillTable(result)}\n`);
    const { audit } = result;
    const t0 = result.faults[0]?.at ?? 0;
    const rel = (t: number) => `${((t - t0) / 1000).toFixed(1)}s`;
    const diag = () =>
      [
        `faults: ${result?.faults.map((f) => `${f.kind}@${rel(f.at)}`).join(', ')}`,
        `lost: ${audit.lost
          .slice(0, 20)
          .map((e) => `${e.text}(sent ${rel(e.sentAt)})`)
          .join(', ')}`,
        `duplicated: ${audit.duplicatedEvents
          .slice(0, 10)
          .map(
            (d) => `${d.event.text}(sent ${rel(d.event.sentAt)}, replies ${d.replyTimes.map(rel).join('/')})`,
          )
          .join(', ')}`,
        `reordered: ${audit.reorderedEvents
          .slice(0, 10)
          .map(
            (r) => `${r.event.text}(sent ${rel(r.event.sentAt)}, answered ${rel(r.at)} after seq ${r.after})`,
          )
          .join(', ')}`,
        `unexpected: ${audit.unexpected
          .slice(0, 5)
          .map((r) => r.text)
          .join(' | ')}`,
        `dead letters: ${result?.deadLetters
          .slice(0, 5)
          .map((d) => d.data.reason)
          .join(' | ')}`,
        ...[...s.ingesters, ...s.workers].map((p) => p.tail(6).replace(/"stack":"[^"]*"/g, '"stack":"…"')),
      ].join('\n');
    // Every fault kind was really injected.
    for (const kind of FAULT_KINDS) {
      expect(
        result.faults.filter((f) => f.kind === kind && f.recoveryMs !== undefined).length,
        kind,
      ).toBeGreaterThan(0);
    }
    expect(audit.events).toBe(size.rooms * size.perRoom);
    expect(audit.lost, diag()).toEqual([]);
    // Feed expiry is injected once the feed is drained, so it must cost nothing either.
    expect(audit.lostInWindow, diag()).toEqual([]);
    const tolerated = TOLERATE_DEPOSED_DRAINER_DUPLICATES ? result.duplicatesByDeposedDrainer : 0;
    if (tolerated > 0) console.warn(`[drill] ${tolerated} duplicate(s) from the known deposed-drainer bug`);
    expect(audit.duplicated - tolerated, diag()).toBe(0);
    // Order across a leader failover (docs/ingester.md): a batch read by a leader that died before storing it
    // is redelivered after newer events. An older event still ahead of pending newer ones is put back in
    // order; one whose successors were already handled is delivered flagged late. No reorder may go unflagged.
    expect(result.midBatchKills, diag()).toBeGreaterThan(0);
    expect(
      result.silentReorders.map((e) => e.text),
      diag(),
    ).toEqual([]);
    if (result.lateDeliveries > 0)
      console.warn(`[drill] ${result.lateDeliveries} late delivery(ies), flagged`);
    expect(audit.unexpected, diag()).toEqual([]);
    expect(result.deadLetters, diag()).toEqual([]);
    expect(result.canariesUnanswered, diag()).toEqual([]);
    // The feed expiries were noticed and recorded by the ingester.
    expect(result.feedRecreations).toBeGreaterThanOrEqual(size.cycles);
    // Everything is still up at the end.
    expect(
      s.ingesters.every((i) => i.running),
      diag(),
    ).toBe(true);
    expect(
      s.workers.every((w) => w.running),
      diag(),
    ).toBe(true);
  }, 900_000);
});

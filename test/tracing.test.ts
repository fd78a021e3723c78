import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver, waitFor } from '@baton/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { usePipelineStack } from './support/pipeline-stack.ts';

// One trace per event across real processes: the ingester's read and the event's span, the worker's handling,
// each attempt (the first one failing) and the Symphony calls, exported by OTLP/HTTP to a local receiver; the
// reply's X-Trace-Id (seen by a proxy in front of the simulator) is the trace's id.
let receiver: OtlpReceiver;
// Registered before the stack's hooks: runs after its close (vitest runs after-hooks in reverse order).
afterAll(async () => {
  await receiver?.close();
});
const pipeline = usePipelineStack(
  async () => {
    receiver = await startOtlpReceiver();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
    return {
      rooms: 1,
      users: 1,
      ingesters: 1,
      workers: 1,
      recordTokens: true,
      ingesterEnv: otel,
      // One client attempt per call, so the pod's 500 fails the handler's first attempt (retried in place).
      workerEnv: { ...otel, SYMPHONY_RETRY_MAX_ATTEMPTS: '1', HANDLER_BACKOFF_MS: '50' },
    };
  },
  { startTimeoutMs: 90_000 },
);

const byName = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);

describe('tracing across the ingester and the workers', () => {
  it('an event retried once is one connected trace from its read to its reply', async () => {
    const stack = pipeline();
    const room = stack.rooms[0] as string;
    // Warm-up: the pipeline answers (its trace is another one).
    stack.say(room, `@${stack.bot.username} /echo warm`);
    await waitFor('the warm-up reply', () => stack.botMessages(room).some((m) => m.text === 'warm'), 30_000);

    stack.sim.control.setFaults({
      rules: [{ path: '/agent/v4/stream', methods: ['POST'], error500: 1, times: 1 }],
    });
    stack.say(room, `@${stack.bot.username} /echo traced`);
    await waitFor('the reply', () => stack.botMessages(room).some((m) => m.text === 'traced'), 30_000);

    // The handle span whose attempts include a failed one is the traced event's.
    const handled = await waitFor(
      'the retried event exported',
      () => {
        const spans = receiver.spans();
        const failed = byName(spans, 'baton.attempt').find((s) => s.statusCode === 2);
        if (!failed) return undefined;
        const trace = spans.filter((s) => s.traceId === failed.traceId);
        return byName(trace, 'baton.attempt').length >= 2 && trace.some((s) => s.name === 'baton.ingest.read')
          ? trace
          : undefined;
      },
      30_000,
      () => JSON.stringify(receiver.spans().map((s) => [s.service, s.name, s.traceId.slice(0, 6)])),
    );
    const one = (name: string) => {
      const found = byName(handled, name);
      expect(found, name).not.toHaveLength(0);
      return found[0] as ReceivedSpan;
    };
    const read = one('baton.ingest.read');
    const ingested = one('baton.ingest.event');
    const handle = one('baton.handle');
    expect(read.service).toBe('baton-ingester');
    expect(handle.service).toBe('baton-worker');
    // The chain: read → event → handle → attempts → Symphony calls.
    expect(ingested.parentSpanId).toBe(read.spanId);
    expect(handle.parentSpanId).toBe(ingested.spanId);
    const attempts = byName(handled, 'baton.attempt').sort((a, b) =>
      Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)),
    );
    expect(attempts.map((a) => [a.attributes['baton.attempt'], a.statusCode])).toEqual([
      [1, 2],
      [2, 0],
    ]);
    for (const a of attempts) expect(a.parentSpanId).toBe(handle.spanId);
    const posts = handled.filter((s) => s.name === 'symphony POST agent');
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (const p of posts) expect(attempts.map((a) => a.spanId)).toContain(p.parentSpanId);
    expect(posts.some((p) => p.statusCode === 2)).toBe(true);

    // Symphony saw the trace's id as X-Trace-Id on the reply's message create.
    const creates = (stack.proxy?.requests() ?? []).filter(
      (r) => r.method === 'POST' && r.path.endsWith('/message/create'),
    );
    expect(creates.map((r) => r.traceId)).toContain(read.traceId);
  }, 90_000);
});

import type { HandleMeta, RuntimeBot } from '@baton/bot';
import { bullmqPrefix, createLogger, presentationMlToText, queueNames, scheduleDrain } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { createFakeSymphonyClient, uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { testStreamId, waitFor } from '@baton/testing';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuntimeConfig } from '../src/config.ts';
import { type BatonWorker, createWorker } from '../src/create-worker.ts';

// An older event that reaches a stream after newer ones were handled (a batch redelivered after an ingester
// failover) is delivered once, flagged: meta.late (ctx.late in the framework), a metric and a warn line.
// Real worker, real Redis; events enqueued as the ingester does (with their own timestamps).

const lines: string[] = [];
const logger = createLogger({ level: 'warn', destination: { write: (l: string) => void lines.push(l) } });
let prefix: string;
let drainQueue: Queue;
let worker: BatonWorker;
const handled: { stream: string; text: string; late: boolean }[] = [];
const gates = new Map<string, Promise<void>>();
const started: string[] = [];

const bot: RuntimeBot = {
  async handle(event, _services, meta: HandleMeta) {
    if (event.type !== 'MESSAGESENT') return;
    const msg = event.payload.messageSent.message;
    const text = presentationMlToText(msg.message);
    started.push(text);
    await gates.get(text);
    handled.push({ stream: msg.stream.streamId, text, late: meta.late === true });
  },
  async handleTask() {},
  failureReply: () => undefined,
};

const T0 = 1_700_000_000_000;

async function push(stream: string, ns: number[]) {
  const res = await worker.mailbox.enqueue(
    ns.map((n) => ({
      key: `${stream}#${n}`,
      streamId: testStreamId(stream),
      event: rawMessageSent({ streamId: testStreamId(stream), text: `n${n}`, timestamp: T0 + n * 1_000 }),
      ts: T0 + n * 1_000,
    })),
    { dedupTtlSec: 600 },
  );
  for (const s of res.freshStreams) await scheduleDrain(drainQueue, s);
}

const seen = (stream: string) =>
  handled.filter((h) => h.stream === testStreamId(stream)).map((h) => `${h.text}${h.late ? ' late' : ''}`);

redisTest.beforeAll(async ({ redis, redisServer }) => {
  prefix = uniquePrefix('late');
  drainQueue = new Queue(queueNames(prefix).drain, { connection: redis, prefix: bullmqPrefix(prefix) });
  const config = loadRuntimeConfig({
    REDIS_URL: redisServer.url,
    BATON_PREFIX: prefix,
    WORKER_ID: 'late-w',
    OPS_PORT: '-1',
    HEARTBEAT_INTERVAL_MS: '500',
  });
  worker = createWorker(config, { bot, client: createFakeSymphonyClient(), logger });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await drainQueue?.close();
});

describe('late events', () => {
  it('delivers an event older than what its stream already handled once, flagged late, and counts it', async () => {
    await push('S1', [5, 6]);
    await waitFor('5 and 6', () => seen('S1').length === 2, 10_000);
    await push('S1', [3, 4, 7]);
    await waitFor('3, 4 and 7', () => seen('S1').length === 5, 10_000);
    expect(seen('S1')).toEqual(['n5', 'n6', 'n3 late', 'n4 late', 'n7']);
    const metrics = await worker.registry.getSingleMetricAsString('baton_worker_late_events_total');
    expect(metrics).toMatch(/baton_worker_late_events_total\{type="MESSAGESENT"[^}]*\} 2/);
    expect(lines.filter((l) => l.includes('event delivered late'))).toHaveLength(2);
  });

  it('an older event arriving while the newer head is in the handler comes right after it, flagged', async () => {
    let open: () => void = () => {};
    gates.set('n20', new Promise<void>((r) => (open = r)));
    await push('S2', [20, 21]);
    await waitFor('n20 in the handler', () => started.includes('n20'), 5_000);
    await push('S2', [18]); // placed before 20, which is being handled
    open();
    await waitFor('all three', () => seen('S2').length === 3, 10_000);
    expect(seen('S2')).toEqual(['n20', 'n18 late', 'n21']);
  });

  it('an older event arriving while newer ones are only pending goes before them, not late', async () => {
    let open: () => void = () => {};
    gates.set('n30', new Promise<void>((r) => (open = r)));
    await push('S3', [30, 33, 34]);
    await waitFor('n30 in the handler', () => started.includes('n30'), 5_000);
    await push('S3', [32, 31]);
    open();
    await waitFor('all five', () => seen('S3').length === 5, 10_000);
    expect(seen('S3')).toEqual(['n30', 'n31', 'n32', 'n33', 'n34']);
  });
});

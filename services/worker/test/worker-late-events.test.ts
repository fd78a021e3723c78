import type { HandleMeta, RuntimeBot } from '@baton/bot';
import { createLogger, presentationMlToText } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { createFakeSymphonyClient } from '@baton/shared/testing';
import { testStreamId, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import type { BatonWorker } from '../src/create-worker.ts';
import { workerTest } from './support/worker-test.ts';

// An older event that reaches a stream after newer ones were handled (a batch redelivered after an ingester
// failover) is delivered once, flagged: meta.late (ctx.late in the framework), a metric and a warn line.
// Real worker, real Redis; events enqueued as the ingester does (with their own timestamps).

const lines: string[] = [];
const logger = createLogger({ level: 'warn', destination: { write: (l: string) => void lines.push(l) } });
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

/** Events `n…` of `stream` (text `n<n>`, sent at T0 + n s), as the ingester enqueues them. */
const events = (stream: string, ns: number[]) =>
  ns.map((n) => ({
    key: `${stream}#${n}`,
    streamId: testStreamId(stream),
    event: rawMessageSent({ streamId: testStreamId(stream), text: `n${n}`, timestamp: T0 + n * 1_000 }),
    ts: T0 + n * 1_000,
  }));

const seen = (stream: string) =>
  handled.filter((h) => h.stream === testStreamId(stream)).map((h) => `${h.text}${h.late ? ' late' : ''}`);

workerTest.beforeAll(async ({ rig }) => {
  worker = await rig.start(
    { WORKER_ID: 'late-w', HEARTBEAT_INTERVAL_MS: '500' },
    { bot, client: createFakeSymphonyClient(), logger },
  );
});

describe('late events', () => {
  workerTest(
    'delivers an event older than what its stream already handled once, flagged late, and counts it',
    async ({ rig }) => {
      await rig.push(events('S1', [5, 6]));
      await waitFor('5 and 6', () => seen('S1').length === 2, 10_000);
      await rig.push(events('S1', [3, 4, 7]));
      await waitFor('3, 4 and 7', () => seen('S1').length === 5, 10_000);
      expect(seen('S1')).toEqual(['n5', 'n6', 'n3 late', 'n4 late', 'n7']);
      const metrics = await worker.registry.getSingleMetricAsString('baton_worker_late_events_total');
      expect(metrics).toMatch(/baton_worker_late_events_total\{type="MESSAGESENT"[^}]*\} 2/);
      expect(lines.filter((l) => l.includes('event delivered late'))).toHaveLength(2);
    },
  );

  workerTest(
    'an older event arriving while the newer head is in the handler comes right after it, flagged',
    async ({ rig }) => {
      let open: () => void = () => {};
      gates.set('n20', new Promise<void>((r) => (open = r)));
      await rig.push(events('S2', [20, 21]));
      await waitFor('n20 in the handler', () => started.includes('n20'), 5_000);
      await rig.push(events('S2', [18])); // placed before 20, which is being handled
      open();
      await waitFor('all three', () => seen('S2').length === 3, 10_000);
      expect(seen('S2')).toEqual(['n20', 'n18 late', 'n21']);
    },
  );

  workerTest(
    'an older event arriving while newer ones are only pending goes before them, not late',
    async ({ rig }) => {
      let open: () => void = () => {};
      gates.set('n30', new Promise<void>((r) => (open = r)));
      await rig.push(events('S3', [30, 33, 34]));
      await waitFor('n30 in the handler', () => started.includes('n30'), 5_000);
      await rig.push(events('S3', [32, 31]));
      open();
      await waitFor('all five', () => seen('S3').length === 5, 10_000);
      expect(seen('S3')).toEqual(['n30', 'n31', 'n32', 'n33', 'n34']);
    },
  );
});

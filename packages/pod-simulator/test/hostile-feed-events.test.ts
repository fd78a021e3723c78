import { describe, expect, it } from 'vitest';
import { feedJson, stringifyWithoutRecursion } from '../src/feeds/feed-json.ts';
import type { Simulator } from '../src/index.ts';
import { type BotUser, call } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

// A real agent delivers whatever event it stored. An injected event too deep for JSON.stringify must reach the
// reader like any other (not turn every read of the feed into a 500 redelivered forever).
const DEPTH = 10_000;
/** `{"n":{"n":…{"bottom":true}…}}`, `depth` levels, built as text (JSON.stringify cannot write it). */
const deepText = (depth: number) => `${'{"n":'.repeat(depth)}{"bottom":true}${'}'.repeat(depth)}`;

/** How deep a parsed value nests, walked without recursion. */
function depthOf(value: unknown): number {
  let depth = 0;
  for (let v = value; v !== null && typeof v === 'object'; v = (v as { n?: unknown }).n) depth += 1;
  return depth;
}

simTest.override({
  simOptions: { longPollMs: 150, redeliveryMs: 60_000 },
  botOptions: { username: 'hostile-bot' },
});

/** POST /_sim/events with a hand-built JSON body: the test process cannot JSON.stringify the event either. */
async function injectText(sim: Simulator, bot: BotUser, eventText: string): Promise<number> {
  const res = await fetch(`${sim.url}/_sim/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"userId":${bot.userId},"event":${eventText}}`,
  });
  await res.arrayBuffer();
  return res.status;
}

describe('hostile events on the feed', () => {
  simTest(
    'delivers an event nested 10,000 levels deep on v2 and v1 feeds, with the events around it',
    async ({ sim, bot }) => {
      const v2 = (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers, {})).body as {
        id: string;
      };
      const v1 = (await call(sim, 'POST', '/agent/v4/datafeed/create', bot.session.headers)).body as {
        id: string;
      };
      expect(await injectText(sim, bot, '{"type":"BEFORE"}')).toBe(204);
      expect(await injectText(sim, bot, deepText(DEPTH))).toBe(204);
      expect(await injectText(sim, bot, '{"type":"AFTER"}')).toBe(204);

      const readV2 = await fetch(`${sim.url}/agent/v5/datafeeds/${v2.id}/read`, {
        method: 'POST',
        headers: { ...bot.session.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ ackId: '' }),
      });
      expect(readV2.status).toBe(200);
      expect(readV2.headers.get('content-type')).toMatch(/^application\/json/);
      const body2 = JSON.parse(await readV2.text()) as { events: unknown[]; ackId: string };
      expect(body2.ackId).toMatch(/^[\w-]+$/);
      expect(body2.events).toHaveLength(3);
      expect(body2.events[0]).toEqual({ type: 'BEFORE' });
      expect(depthOf(body2.events[1])).toBe(DEPTH + 1);
      expect(body2.events[2]).toEqual({ type: 'AFTER' });

      const readV1 = await fetch(`${sim.url}/agent/v4/datafeed/${v1.id}/read`, {
        headers: bot.session.headers,
      });
      expect(readV1.status).toBe(200);
      const body1 = JSON.parse(await readV1.text()) as unknown[];
      expect(body1).toHaveLength(3);
      expect(depthOf(body1[1])).toBe(DEPTH + 1);
    },
  );

  simTest(
    'delivers huge arrays, huge strings, many keys and lone surrogates as posted',
    async ({ sim, bot }) => {
      const v2 = (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers, {})).body as {
        id: string;
      };
      const events = [
        { type: 'ARRAY', items: Array.from({ length: 200_000 }, (_, i) => i) },
        { type: 'STRING', text: 'x'.repeat(3 * 1024 * 1024) },
        { type: 'KEYS', ...Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])) },
        { type: 'SURROGATES', text: '\ud800 lone \udfff and a pair \ud83d\ude00' },
      ];
      for (const event of events) expect(await injectText(sim, bot, JSON.stringify(event))).toBe(204);
      const read = await call(sim, 'POST', `/agent/v5/datafeeds/${v2.id}/read`, bot.session.headers, {
        ackId: '',
      });
      expect(read.status).toBe(200);
      expect((read.body as { events: unknown[] }).events).toEqual(events);
    },
  );
});

describe('feedJson', () => {
  it('writes the same text as JSON.stringify for ordinary data', () => {
    const samples: unknown[] = [
      null,
      0,
      -1.5e300,
      'a"b\\c\n\u0000\ud800',
      [1, undefined, () => 1, Number.NaN, { a: undefined, b: [] }],
      { z: 1, a: { nested: [true, false, null] }, skip: undefined, when: new Date(0) },
      [],
      {},
    ];
    for (const sample of samples) expect(stringifyWithoutRecursion(sample)).toBe(JSON.stringify(sample));
    expect(stringifyWithoutRecursion(undefined)).toBe(JSON.stringify(undefined));
  });

  it('writes what JSON.stringify cannot, and it parses back to the same depth', () => {
    const text = deepText(50_000);
    const value = JSON.parse(text) as unknown;
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    const written = feedJson({ events: [value] });
    expect(written.length).toBe(text.length + '{"events":[]}'.length);
    expect(depthOf((JSON.parse(written) as { events: unknown[] }).events[0])).toBe(50_001);
  });
});

import { randomBytes } from 'node:crypto';
import { checkSymphonyId, eventKey, orderingKeyOf, parseEvent, rawMessageSent } from '@baton/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// parseEvent on generated input: it never throws, refuses with a reason or accepts an event whose key and
// ordering key can be computed; accepting is stable. Runs: FUZZ_RUNS (default 150; the chaos config's twin
// of the batch fuzz runs more, see docs/fault-drills.md).
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const STREAM = randomBytes(25).toString('base64url');
const valid = rawMessageSent({
  id: 'ev1',
  messageId: 'Fd4Pc8xO5Vg6hVfzabFe2X___oyM1eXobQ',
  timestamp: 1_700_000_000_000,
  streamId: STREAM,
  from: { userId: 7, username: 'u' },
  text: 'hi',
});

/** Every path of a JSON value (inner nodes too). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}
const ALL_PATHS = paths(valid).filter((p) => p.length > 0);

function replaced(path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(valid) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

function nested(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { n: v } : [v];
  return v;
}

const oddString = fc.string({ unit: 'binary', maxLength: 40 });
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  oddString,
  fc.integer({ min: 0, max: 3_000 }).map((d) => nested(d, 'leaf')),
  fc.integer({ min: 0, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom(null, -1, 1.5, 2 ** 60, Number.NaN, '', [], {}),
);
const mutated = fc.tuple(fc.constantFrom(...ALL_PATHS), value).map(([path, v]) => replaced(path, v));
const withProto = fc
  .tuple(oddString, value)
  .map(([k, v]) => ({ ...valid, ...JSON.parse(`{"__proto__": ${JSON.stringify({ [k]: v }) ?? 'null'}}`) }));
const anyInput = fc.oneof(fc.jsonValue({ maxDepth: 6 }), value, mutated, withProto);

describe('parseEvent (property)', () => {
  it('never throws: a reason, or an event with a key and an ordering key; the verdict is stable', () => {
    fc.assert(
      fc.property(anyInput, (raw) => {
        const parsed = parseEvent(raw);
        if (!parsed.ok) {
          expect(parsed.reason.length).toBeGreaterThan(3);
          expect(parseEvent(raw).ok).toBe(false);
          return;
        }
        const key = eventKey(parsed.event);
        expect(key.startsWith(`${parsed.event.type}:`)).toBe(true);
        const ordering = orderingKeyOf(parsed.event);
        expect(ordering.startsWith('user:') || checkSymphonyId(ordering).ok).toBe(true);
        const again = parseEvent(raw);
        expect(again.ok && eventKey(again.event)).toBe(key);
      }),
      { numRuns: RUNS },
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('accepts the valid event with any unicode, lone surrogates included, in its text and extra fields', () => {
    fc.assert(
      fc.property(oddString, oddString, (text, extra) => {
        const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        const raw = replaced(
          ['payload', 'messageSent', 'message', 'message'],
          `<div data-format="PresentationML" data-version="2.0"><p>${escaped}</p></div>`,
        ) as Record<string, unknown>;
        const parsed = parseEvent({ ...raw, extra });
        if (!parsed.ok) throw new Error(parsed.reason);
        expect(parsed.event['extra']).toBe(extra);
      }),
      { numRuns: RUNS },
    );
  });
});

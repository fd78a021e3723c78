import { toPresentationML } from '@baton/bot/testkit';
import type { RawUser } from '@baton/shared/events';

/**
 * Ways to break a real-time event for the bad-input drill (the valid MESSAGESENT it starts from is
 * `rawMessageSent` of @baton/shared/events).
 */

/** PresentationML + EntityJSON of `@bot <text>` as a Symphony client sends it (the test kit's rendering). */
export function mentionCommand(bot: RawUser, text: string): { presentationML: string; data: string } {
  const { message, data } = toPresentationML(`@${bot.username} ${text}`, (name) =>
    name === bot.username ? bot : undefined,
  );
  return { presentationML: message, data: JSON.stringify(data) };
}

/** Every leaf path of a JSON value (objects and arrays walked). */
export function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

/** Every path (inner nodes too), for "field missing" variants. */
export function allPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...allPaths(v, [...prefix, k])]);
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function parentOf(root: unknown, path: (string | number)[]): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  return node;
}

/** A copy of `event` without the field at `path`. */
export function without(event: unknown, path: (string | number)[]): unknown {
  const copy = clone(event);
  const parent = parentOf(copy, path);
  const key = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return copy;
}

/** A value of another JSON type than `v`. */
export function wrongTypeFor(v: unknown): unknown {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return 'not-a-number';
  if (typeof v === 'boolean') return 'yes';
  if (Array.isArray(v)) return { not: 'an array' };
  if (v === null) return ['null', 'replaced'];
  return 'not-an-object';
}

/** A copy of `event` with the field at `path` replaced by a value of the wrong type. */
export function withWrongType(event: unknown, path: (string | number)[]): unknown {
  const copy = clone(event);
  const parent = parentOf(copy, path);
  const key = path[path.length - 1] as string | number;
  parent[key] = wrongTypeFor(parent[key]);
  return copy;
}

/** A JSON object nested `depth` levels deep. */
export function deeplyNested(depth: number): unknown {
  let v: unknown = { bottom: true };
  for (let i = 0; i < depth; i++) v = { n: v };
  return v;
}

/** JSON with sorted keys, for comparing an event with what the DLQ kept. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(
          Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : val,
  );
}

/** Standard base64 (`+`, `/`, `=` padding) of a URL-safe base64 id: "the wrong base64". */
export function toStandardBase64(urlSafe: string): string {
  const b = urlSafe.replace(/-/g, '+').replace(/_/g, '/');
  return b + '='.repeat((4 - (b.length % 4)) % 4);
}

/** The JSON text of a value nested `depth` levels deep (`{"n":…}` or `[…]`), built as text: JSON.stringify of such a value throws RangeError past a few thousand levels. */
export function deeplyNestedText(depth: number, kind: 'object' | 'array' = 'object'): string {
  return kind === 'object'
    ? `${'{"n":'.repeat(depth)}{"bottom":true}${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`;
}

/** A valid event's JSON text with `"extra":<valueText>` added, as text (for values JSON.stringify cannot write). */
export function withExtraText(event: unknown, valueText: string): string {
  const text = JSON.stringify(event);
  return `${text.slice(0, -1)},"extra":${valueText}}`;
}

/**
 * Poison: events no stage may choke on. Each is a copy of `valid` (a valid event) carrying one oversized or
 * overly deep value, as JSON text (what the feed delivers). Every one is beyond the event model's bounds
 * (`DEFAULT_JSON_BOUNDS`: 64 levels, 8 Mi characters), so each must be dead-lettered with a reason while the
 * events around it are handled.
 */
export function poisonEventTexts(valid: unknown): { name: string; text: string }[] {
  const manyKeys = `{${Array.from({ length: 600_000 }, (_, i) => `"key${i}":${i}`).join(',')}}`;
  return [
    { name: 'an object nested 10,000 levels deep', text: withExtraText(valid, deeplyNestedText(10_000)) },
    {
      name: 'an array nested 10,000 levels deep',
      text: withExtraText(valid, deeplyNestedText(10_000, 'array')),
    },
    { name: 'an event that is itself nested 100,000 levels deep', text: deeplyNestedText(100_000) },
    { name: 'an array of 3 million items', text: withExtraText(valid, `[${'0,'.repeat(3_000_000)}0]`) },
    {
      name: 'a string of 9 Mi characters',
      text: withExtraText(valid, JSON.stringify('x'.repeat(9 * 1024 * 1024))),
    },
    { name: 'an object with 600,000 keys', text: withExtraText(valid, manyKeys) },
  ];
}

/** Lone surrogates, controls and other odd unicode (for values that must survive storage as they are). */
export const ODD_UNICODE = ['\ud800', '\udfff', 'a\ud83dz', '\u2028\u2029', '\ufeff', '\uffff', '\u{10ffff}'];

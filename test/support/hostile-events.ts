import { toPresentationML } from '@baton/bot/testkit';
import type { RawUser } from '@baton/testing';

/**
 * Ways to break a real-time event for the bad-input drill (the valid MESSAGESENT it starts from is
 * `rawMessageSent` of @baton/testing).
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

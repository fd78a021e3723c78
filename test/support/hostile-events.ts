/** Builders of real-time events for the bad-input drill: one valid MESSAGESENT and ways to break it. */

export interface EventUser {
  userId: number;
  username: string;
  displayName: string;
}

let counter = 0;
const nextId = (label: string) => `${label}${Date.now().toString(36)}x${(counter++).toString(36)}`;

/** A valid MESSAGESENT as the agent delivers it (PresentationML `message`, EntityJSON string `data`). */
export function messageSent(opts: {
  streamId: string;
  from: EventUser;
  presentationML: string;
  data?: string;
  id?: string;
  messageId?: string;
  streamType?: string;
}): Record<string, unknown> {
  const messageId = opts.messageId ?? nextId('hostileMsg');
  const user = { userId: opts.from.userId, username: opts.from.username, displayName: opts.from.displayName };
  return {
    id: opts.id ?? nextId('ev'),
    messageId,
    timestamp: Date.now(),
    type: 'MESSAGESENT',
    initiator: { user },
    payload: {
      messageSent: {
        message: {
          messageId,
          timestamp: Date.now(),
          message: opts.presentationML,
          data: opts.data ?? '{}',
          user,
          stream: { streamId: opts.streamId, streamType: opts.streamType ?? 'ROOM' },
          externalRecipients: false,
          userAgent: 'DESKTOP-43.0.0-hostile',
          originalFormat: 'com.symphony.messageml.v2',
        },
      },
    },
  };
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** PresentationML + EntityJSON of `@bot <text>` as a Symphony client sends it (mention entity "0"). */
export function mentionCommand(bot: EventUser, text: string): { presentationML: string; data: string } {
  return {
    presentationML:
      '<div data-format="PresentationML" data-version="2.0" class="wysiwyg"><p>' +
      `<span class="entity" data-entity-id="0">@${escapeXml(bot.displayName)}</span> ${escapeXml(text)}</p></div>`,
    data: JSON.stringify({
      0: {
        id: [{ type: 'com.symphony.user.userId', value: String(bot.userId) }],
        type: 'com.symphony.user.mention',
      },
    }),
  };
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

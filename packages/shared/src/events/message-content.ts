import type { z } from 'zod';
import { inspectPresentationMl } from './inspect-presentation-ml.ts';

/** C0 control characters other than TAB, LF and CR: XML cannot carry them, so no real pod delivers them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const C0_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

/** PresentationML without C0 control characters (NUL, BEL, ESC…; TAB, LF and CR are kept). */
export function stripControlChars(text: string): string {
  return text.replace(C0_CONTROLS, '');
}

const MENTION_TYPE = 'com.symphony.user.mention';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isUserId = (value: unknown): boolean => {
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
};

/** Why an EntityJSON string cannot be read whole, or undefined; `keys` receives its entity ids. */
function entityJsonProblem(data: string, keys: Set<string>): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return 'data: EntityJSON is not valid JSON';
  }
  if (!isRecord(parsed)) return 'data: EntityJSON is not a JSON object';
  for (const [key, entry] of Object.entries(parsed)) {
    keys.add(key);
    if (!isRecord(entry) || entry['type'] !== MENTION_TYPE) continue;
    const ids = entry['id'];
    const values = Array.isArray(ids) ? ids.filter(isRecord).map((id) => id['value']) : [];
    if (values.length === 0 || !values.every(isUserId)) {
      const shown = JSON.stringify(values[0] ?? null).slice(0, 40);
      return `data.${key.slice(0, 40)}: a mention whose user id ${shown} is not a user id (digits)`;
    }
  }
  return undefined;
}

/**
 * The checks of a `V4Message`'s content (docs/event-model.md): `message` is not empty and is well-formed
 * PresentationML (one element, every tag closed in order); `data`, when present and not empty, is an EntityJSON
 * object whose mentions carry user ids; every `data-entity-id` the markup names has its entry in `data`.
 */
export function checkMessageContent(
  message: { message: string; data?: string | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  const issue = (path: string, text: string) => ctx.addIssue({ code: 'custom', path: [path], message: text });
  if (message.message.trim() === '') {
    issue('message', 'empty: a Symphony message is PresentationML, never empty');
    return;
  }
  const markup = inspectPresentationMl(message.message);
  if (markup.problem !== undefined) {
    issue('message', `not well-formed PresentationML: ${markup.problem}`);
    return;
  }
  const keys = new Set<string>();
  const data = message.data ?? '';
  const dataProblem = data.trim() === '' ? undefined : entityJsonProblem(data, keys);
  if (dataProblem !== undefined) {
    issue('data', dataProblem.replace(/^data: /, ''));
    return;
  }
  const missing = markup.entityIds.find((id) => !keys.has(id));
  if (missing !== undefined) {
    issue('data', `no entry for the entity "${missing.slice(0, 40)}" the message names (data-entity-id)`);
  }
}

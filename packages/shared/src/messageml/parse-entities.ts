export const MENTION_TYPE = 'com.symphony.user.mention';
export const HASHTAG_TYPE = 'org.symphonyoss.taxonomy';
export const CASHTAG_TYPE = 'org.symphonyoss.fin.security';

/** One EntityJSON entry, as Baton reads it. */
export type EntityRef =
  | { readonly kind: 'mention'; readonly userId: number }
  | { readonly kind: 'hashtag'; readonly value: string }
  | { readonly kind: 'cashtag'; readonly value: string }
  /** Anything else (emoji, custom entities) or an entry Baton could not read. */
  | { readonly kind: 'other'; readonly type: string | undefined };

export interface EntityData {
  /** False when `data` was not a JSON object; everything else is then empty. */
  readonly valid: boolean;
  /** Mentioned user ids, in order of first appearance, without duplicates. */
  readonly mentions: readonly number[];
  /** Hashtag values, without the `#`, without duplicates. */
  readonly hashtags: readonly string[];
  /** Cashtag values, without the `$`, without duplicates. */
  readonly cashtags: readonly string[];
  /** Lookup by entity id (the `data-entity-id` of the span: `mention1`, `keyword1`, `0`, `1`…). */
  readonly byId: ReadonlyMap<string, EntityRef>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `value` of the id entry of the given type, or of the first id entry (what the BDKs read). */
function idValue(entry: Record<string, unknown>, idType: string): string | number | undefined {
  const ids = entry['id'];
  if (!Array.isArray(ids)) return undefined;
  const records = ids.filter(isRecord);
  const chosen = records.find((id) => id['type'] === idType) ?? records[0];
  const value = chosen?.['value'];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

function toUserId(value: string | number | undefined): number | undefined {
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function toTag(value: string | number | undefined, marker: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const tag = text.startsWith(marker) ? text.slice(1) : text;
  return tag === '' ? undefined : tag;
}

function readEntry(entry: unknown): EntityRef {
  if (!isRecord(entry)) return { kind: 'other', type: undefined };
  const type = typeof entry['type'] === 'string' ? entry['type'] : undefined;
  if (type === MENTION_TYPE) {
    const userId = toUserId(idValue(entry, 'com.symphony.user.userId'));
    if (userId !== undefined) return { kind: 'mention', userId };
  } else if (type === HASHTAG_TYPE) {
    const value = toTag(idValue(entry, 'org.symphonyoss.taxonomy.hashtag'), '#');
    if (value !== undefined) return { kind: 'hashtag', value };
  } else if (type === CASHTAG_TYPE) {
    const value = toTag(idValue(entry, 'org.symphonyoss.fin.security.id.ticker'), '$');
    if (value !== undefined) return { kind: 'cashtag', value };
  }
  return { kind: 'other', type };
}

const EMPTY: EntityData = Object.freeze({
  valid: true,
  mentions: [],
  hashtags: [],
  cashtags: [],
  byId: new Map<string, EntityRef>(),
});

/**
 * Reads a message's EntityJSON string. Never throws: `undefined` or `''` is an empty, valid result; text that is
 * not a JSON object gives an empty result with `valid: false`. Mention ids may be JSON strings or numbers.
 */
export function parseEntities(data: string | undefined): EntityData {
  if (data === undefined || data.trim() === '') return EMPTY;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { ...EMPTY, valid: false };
  }
  if (!isRecord(parsed)) return { ...EMPTY, valid: false };

  const byId = new Map<string, EntityRef>();
  const mentions = new Set<number>();
  const hashtags = new Set<string>();
  const cashtags = new Set<string>();
  for (const [id, entry] of Object.entries(parsed)) {
    const ref = readEntry(entry);
    byId.set(id, ref);
    if (ref.kind === 'mention') mentions.add(ref.userId);
    else if (ref.kind === 'hashtag') hashtags.add(ref.value);
    else if (ref.kind === 'cashtag') cashtags.add(ref.value);
  }
  return { valid: true, mentions: [...mentions], hashtags: [...hashtags], cashtags: [...cashtags], byId };
}

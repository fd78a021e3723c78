import { DEFAULT_JSON_BOUNDS } from '../events/json-bounds.ts';
import { boundJson, type JsonLimits } from './bound-json.ts';
import { jsonSha256 } from './json-sha256.ts';

/**
 * Kept whole up to the event model's own bounds (`parseEvent` accepts nothing bigger or deeper), so every
 * event a handler saw is stored exactly and can be replayed.
 */
export const WHOLE_RAW_LIMITS: JsonLimits = Object.freeze({
  maxDepth: DEFAULT_JSON_BOUNDS.maxDepth,
  maxStringLength: DEFAULT_JSON_BOUNDS.maxSize,
  maxArrayLength: DEFAULT_JSON_BOUNDS.maxSize,
  maxKeys: DEFAULT_JSON_BOUNDS.maxSize,
  // A margin over the event bound: a JSON text of exactly maxSize characters is stored whole too.
  maxSize: DEFAULT_JSON_BOUNDS.maxSize + 1_024,
});

/** The excerpt stored of anything bigger: enough to see what it was, small enough to list by the thousand. */
export const RAW_EXCERPT_LIMITS: JsonLimits = Object.freeze({
  maxDepth: 16,
  maxStringLength: 2_048,
  maxArrayLength: 64,
  maxKeys: 64,
  maxSize: 64 * 1_024,
});

export interface BoundedRaw {
  /** The raw value whole (JSON data) or, when `rawTruncated`, a bounded excerpt with `[truncated: …]` markers. */
  readonly raw: unknown;
  /** sha256 (hex) of the raw value's text (a string's UTF-8, anything else's JSON; see `jsonSha256`). */
  readonly rawSha256: string;
  /** Characters of that text. */
  readonly rawChars: number;
  readonly rawTruncated: boolean;
}

/**
 * What a dead letter stores of an untrusted raw event, whatever it is: nested 10,000 levels deep, a 50 MB
 * string, a huge array, a cycle, lone surrogates (kept: `JSON.stringify` escapes them). Never recurses, never
 * throws.
 */
export function boundRawEvent(raw: unknown): BoundedRaw {
  let digest: { sha256: string; chars: number };
  try {
    digest = jsonSha256(raw);
  } catch {
    // Only exotic objects get here (a throwing getter or toJSON): hash what can be said about them.
    digest = jsonSha256(`[unreadable ${typeof raw}]`);
  }
  try {
    const whole = boundJson(raw, WHOLE_RAW_LIMITS);
    if (!whole.truncated) {
      return { raw: whole.value, rawSha256: digest.sha256, rawChars: digest.chars, rawTruncated: false };
    }
    const excerpt = boundJson(raw, RAW_EXCERPT_LIMITS);
    return { raw: excerpt.value, rawSha256: digest.sha256, rawChars: digest.chars, rawTruncated: true };
  } catch {
    return {
      raw: `[unreadable ${typeof raw}]`,
      rawSha256: digest.sha256,
      rawChars: digest.chars,
      rawTruncated: true,
    };
  }
}

import { z } from 'zod';
import { toUrlSafeId } from '../ids/normalize-id.ts';
import { checkSymphonyId } from '../ids/symphony-id.ts';

/**
 * An optional field as Symphony sends it: absent, `null` or a value. `null` is read as absent so consumers only
 * ever see `T | undefined`.
 */
export function lenientOptional<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .transform((value) => value ?? undefined)
    .optional();
}

/**
 * A message id (or form message id), normalised to the API form (URL-safe base64, no padding). Unlike stream
 * ids it is not checked further: it decides no routing (docs/event-model.md).
 */
export const symphonyIdSchema = z.string().min(1).transform(toUrlSafeId);

/**
 * A stream id: one of the two forms Symphony issues (`checkSymphonyId`: 34 URL-safe characters, or 36 in
 * standard base64 with `==`), 25 bytes, normalised to the API form. Anything else is refused with the reason:
 * a reply to it would fail or land in another stream.
 */
export const streamIdSchema = z.string().transform((id, ctx) => {
  const checked = checkSymphonyId(id);
  if (checked.ok) return checked.id;
  ctx.addIssue({ code: 'custom', message: checked.reason });
  return z.NEVER;
});

/** A time in ms since the epoch: a non-negative integer (Symphony never sends fractions or negatives). */
export const timestampSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Symphony user ids are int64; every real one fits in a JS safe integer, so Baton keeps them as numbers. */
export const userIdSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

import { z } from 'zod';
import { toUrlSafeId } from '../ids/normalize-id.ts';

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

/** A stream or message id, normalised to the API form (URL-safe base64, no padding). */
export const symphonyIdSchema = z.string().min(1).transform(toUrlSafeId);

/** Symphony user ids are int64; every real one fits in a JS safe integer, so Baton keeps them as numbers. */
export const userIdSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

import { z } from 'zod';

/** The version `writeDeadLetters` writes. Readers accept every version below (entries already in Redis). */
export const DEAD_LETTER_VERSION = 2;

const StageSchema = z.enum(['ingest', 'handle']);

/** The final error of an entry, as `serializeError` gives it (`code`: a BatonError's, see docs/errors.md). */
const ErrorV1Schema = z.object({
  name: z.string(),
  message: z.string(),
  code: z.string().optional(),
  stack: z.string().optional(),
});

/** Version 1 (before the bounded writer): `raw` is the event as it was, unbounded. Read only. */
export const DeadLetterV1Schema = z.object({
  v: z.literal(1),
  stage: StageSchema,
  reason: z.string(),
  streamId: z.string().optional(),
  key: z.string().optional(),
  raw: z.unknown(),
  error: ErrorV1Schema.optional(),
  attempts: z.number().int().nonnegative().optional(),
  failedAt: z.number().int().nonnegative(),
});

/** Limits of the text fields of a version 2 entry (the writer cuts to them; see `deadLetterError`). */
export const DEAD_LETTER_TEXT_LIMITS = Object.freeze({
  reason: 2_000,
  errorName: 200,
  errorMessage: 2_000,
  errorCode: 100,
  errorStack: 8_000,
});

/**
 * The final error of a version 2 entry: class name, message, code and stack, bounded and with secrets
 * (tokens, keys, passwords, URL credentials) redacted by `deadLetterError`.
 */
export const DeadLetterErrorSchema = z.object({
  name: z.string().max(DEAD_LETTER_TEXT_LIMITS.errorName),
  message: z.string().max(DEAD_LETTER_TEXT_LIMITS.errorMessage),
  code: z.string().max(DEAD_LETTER_TEXT_LIMITS.errorCode).optional(),
  stack: z.string().max(DEAD_LETTER_TEXT_LIMITS.errorStack).optional(),
});
export type DeadLetterError = z.infer<typeof DeadLetterErrorSchema>;

/**
 * Version 2: `raw` is the raw event whole when it fits the event model's bounds, else a bounded excerpt
 * (`rawTruncated`); `rawSha256` and `rawChars` describe the raw value as it was.
 */
export const DeadLetterV2Schema = z.object({
  v: z.literal(2),
  /** `ingest`: the event is invalid input (never replayable); `handle`: the bot failed on it (replayable). */
  stage: StageSchema,
  reason: z.string().max(DEAD_LETTER_TEXT_LIMITS.reason),
  streamId: z.string().optional(),
  key: z.string().optional(),
  /** The raw event (whole unless `rawTruncated`): JSON data, safe to serialise. */
  raw: z.unknown(),
  /** sha256 (hex) of the raw value's text: a string's UTF-8 bytes, anything else's JSON. */
  rawSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Length in characters of that text. */
  rawChars: z.number().int().nonnegative(),
  /** True when `raw` is an excerpt (the raw value was too big, too deep or not JSON data): not replayable. */
  rawTruncated: z.boolean(),
  error: DeadLetterErrorSchema.optional(),
  attempts: z.number().int().nonnegative().optional(),
  failedAt: z.number().int().nonnegative(),
});
export type DeadLetterV2 = z.infer<typeof DeadLetterV2Schema>;

/** Data of a dead-letter job, any version: an event that failed for good, at ingest (invalid) or in a handler. */
export const DeadLetterSchema = z.discriminatedUnion('v', [DeadLetterV1Schema, DeadLetterV2Schema]);
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

import { z } from 'zod';
import { lenientOptional } from './schema-helpers.ts';

/** At most this many attachments per message: Symphony recommends 25 at most; a real message has a handful. */
export const MAX_ATTACHMENTS = 100;
/** At most this many thumbnails per attachment (Symphony sends a few sizes of an image). */
export const MAX_ATTACHMENT_IMAGES = 20;
const MAX_ID_LENGTH = 1024;
const MAX_NAME_LENGTH = 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const idSchema = z.string().min(1, 'empty').max(MAX_ID_LENGTH);

/** `V4ThumbnailInfo`: a thumbnail of an image attachment. */
const thumbnailSchema = z.looseObject({
  id: idSchema,
  dimension: lenientOptional(z.string().max(64)),
});

/**
 * `V4AttachmentInfo {id, name, size, images}` of a `V4Message`: what `ctx.download` needs. `id`, `name` and
 * `size` are required (the spec's required fields; `images` is read as absent when missing). A name is a file
 * name shown to people and reused when a bot sends the file back, never a path: control characters (a CR/LF
 * would end up in a multipart header) are refused (docs/event-model.md).
 */
export const v4AttachmentSchema = z.looseObject({
  id: idSchema,
  name: z
    .string()
    .max(MAX_NAME_LENGTH)
    .refine((name) => !CONTROL_CHARS.test(name), 'holds a control character'),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  images: lenientOptional(z.array(thumbnailSchema).max(MAX_ATTACHMENT_IMAGES)),
});

/** A message's attachment list, bounded. */
export const v4AttachmentsSchema = z
  .array(v4AttachmentSchema)
  .max(MAX_ATTACHMENTS, `more than ${MAX_ATTACHMENTS} attachments`);

export type V4Attachment = z.output<typeof v4AttachmentSchema>;

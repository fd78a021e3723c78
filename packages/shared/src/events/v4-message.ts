import { z } from 'zod';
import { checkMessageContent, stripControlChars } from './message-content.ts';
import { lenientOptional, symphonyIdSchema, timestampSchema } from './schema-helpers.ts';
import { v4AttachmentsSchema } from './v4-attachment.ts';
import { v4StreamSchema } from './v4-stream.ts';
import { v4UserSchema } from './v4-user.ts';

const messageFields = {
  messageId: symphonyIdSchema,
  parentMessageId: lenientOptional(symphonyIdSchema),
  timestamp: timestampSchema,
  /** PresentationML, checked well-formed, C0 control characters (other than TAB, LF, CR) removed. */
  message: z.string().transform(stripControlChars),
  /** EntityJSON, as a JSON *string* (parse it with `parseEntities`). */
  data: lenientOptional(z.string()),
  /** `V4AttachmentInfo` list, bounded and checked (v4-attachment.ts); absent when the message has none. */
  attachments: lenientOptional(v4AttachmentsSchema),
  user: v4UserSchema,
  stream: v4StreamSchema,
  externalRecipients: lenientOptional(z.boolean()),
  diagnostic: lenientOptional(z.string()),
  userAgent: lenientOptional(z.string()),
  originalFormat: lenientOptional(z.string()),
  disclaimer: lenientOptional(z.string()),
  sid: lenientOptional(z.string()),
  replacing: lenientOptional(symphonyIdSchema),
  replacedBy: lenientOptional(symphonyIdSchema),
  initialTimestamp: lenientOptional(timestampSchema),
  initialMessageId: lenientOptional(symphonyIdSchema),
  silent: lenientOptional(z.boolean()),
};

/** The message a `V4Message.sharedMessage` points at (one level: a shared message is not itself re-shared). */
const sharedMessageSchema = z.looseObject(messageFields).superRefine(checkMessageContent);

/** `V4Message` as delivered to bots: `message` is PresentationML, `data` an EntityJSON string. */
export const v4MessageSchema = z
  .looseObject({
    ...messageFields,
    sharedMessage: lenientOptional(sharedMessageSchema),
  })
  .superRefine(checkMessageContent);

export type V4Message = z.output<typeof v4MessageSchema>;

import { z } from 'zod';
import { checkMessageContent, stripControlChars } from './message-content.ts';
import { lenientOptional, symphonyIdSchema, timestampSchema } from './schema-helpers.ts';
import { v4StreamSchema } from './v4-stream.ts';
import { v4UserSchema } from './v4-user.ts';

const attachmentSchema = z.looseObject({
  id: z.string(),
  name: lenientOptional(z.string()),
  size: lenientOptional(z.number()),
  images: lenientOptional(z.array(z.looseObject({ id: z.string(), dimension: lenientOptional(z.string()) }))),
});

const messageFields = {
  messageId: symphonyIdSchema,
  parentMessageId: lenientOptional(symphonyIdSchema),
  timestamp: timestampSchema,
  /** PresentationML, checked well-formed, C0 control characters (other than TAB, LF, CR) removed. */
  message: z.string().transform(stripControlChars),
  /** EntityJSON, as a JSON *string* (parse it with `parseEntities`). */
  data: lenientOptional(z.string()),
  attachments: lenientOptional(z.array(attachmentSchema)),
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

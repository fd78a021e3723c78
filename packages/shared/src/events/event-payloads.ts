import { z } from 'zod';
import { lenientOptional, symphonyIdSchema } from './schema-helpers.ts';
import { v4MessageSchema } from './v4-message.ts';
import { v4RoomPropertiesSchema } from './v4-room-properties.ts';
import { v4StreamSchema } from './v4-stream.ts';
import { v4UserSchema } from './v4-user.ts';

const streamOnly = { stream: v4StreamSchema };
const affectedUser = { stream: v4StreamSchema, affectedUser: v4UserSchema };

/**
 * Before agent 20.3.1 the SYMPHONYELEMENTSACTION payload carried `formStream`/`actionStream` instead of `stream`.
 * Both shapes come out with `stream` (the legacy fields are kept alongside, as received).
 */
function withLegacyFormStream(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const record = raw as Record<string, unknown>;
  if (record['stream'] !== undefined && record['stream'] !== null) return raw;
  const legacy = record['formStream'] ?? record['actionStream'];
  return legacy === undefined || legacy === null ? raw : { ...record, stream: legacy };
}

const elementsActionSchema = z.preprocess(
  withLegacyFormStream,
  z.looseObject({
    stream: v4StreamSchema,
    formMessageId: symphonyIdSchema,
    formId: z.string(),
    formValues: z.record(z.string(), z.unknown()),
  }),
);

/** The payload schema of each event type, keyed by type. */
export const PAYLOAD_SCHEMAS = {
  MESSAGESENT: z.looseObject({ message: v4MessageSchema }),
  MESSAGESUPPRESSED: z.looseObject({ messageId: symphonyIdSchema, stream: v4StreamSchema }),
  SYMPHONYELEMENTSACTION: elementsActionSchema,
  SHAREDPOST: z.looseObject({ message: v4MessageSchema, sharedMessage: v4MessageSchema }),
  INSTANTMESSAGECREATED: z.looseObject(streamOnly),
  ROOMCREATED: z.looseObject({ ...streamOnly, roomProperties: lenientOptional(v4RoomPropertiesSchema) }),
  ROOMUPDATED: z.looseObject({ ...streamOnly, newRoomProperties: lenientOptional(v4RoomPropertiesSchema) }),
  ROOMDEACTIVATED: z.looseObject(streamOnly),
  ROOMREACTIVATED: z.looseObject(streamOnly),
  USERJOINEDROOM: z.looseObject(affectedUser),
  USERLEFTROOM: z.looseObject(affectedUser),
  ROOMMEMBERPROMOTEDTOOWNER: z.looseObject(affectedUser),
  ROOMMEMBERDEMOTEDFROMOWNER: z.looseObject(affectedUser),
  USERREQUESTEDTOJOINROOM: z.looseObject({
    ...streamOnly,
    affectedUsers: lenientOptional(z.array(v4UserSchema)),
  }),
  CONNECTIONREQUESTED: z.looseObject({ toUser: v4UserSchema }),
  CONNECTIONACCEPTED: z.looseObject({ fromUser: v4UserSchema }),
  GENERICSYSTEMEVENT: z.looseObject({
    ...streamOnly,
    eventTimestamp: lenientOptional(z.number()),
    sourceSystem: lenientOptional(z.string()),
    eventSubtype: lenientOptional(z.string()),
    parameters: lenientOptional(z.record(z.string(), z.unknown())),
  }),
} as const;

import { z } from 'zod';
import { PAYLOAD_SCHEMAS } from './event-payloads.ts';
import { type EventType, PAYLOAD_KEY_BY_TYPE } from './event-types.ts';
import { lenientOptional, symphonyIdSchema, timestampSchema } from './schema-helpers.ts';
import { v4UserSchema } from './v4-user.ts';

/** The `V4Event` envelope fields shared by every type. Unknown extra fields are kept. */
const envelopeFields = {
  /** Short and random; simultaneous events may share it (see `eventKey`). */
  id: z.string().min(1),
  messageId: lenientOptional(symphonyIdSchema),
  timestamp: timestampSchema,
  initiator: z.looseObject({ user: v4UserSchema }),
  /** Only present when Symphony failed to parse something; passed through as received. */
  diagnostic: z.unknown().optional(),
};

type PayloadKey<T extends EventType> = (typeof PAYLOAD_KEY_BY_TYPE)[T];
type PayloadShape<T extends EventType> = { [K in PayloadKey<T>]: (typeof PAYLOAD_SCHEMAS)[T] };

/** The schema of one event type: the envelope, `type` fixed, `payload` with exactly the type's key. */
function eventSchema<T extends EventType>(type: T) {
  const shape = { [PAYLOAD_KEY_BY_TYPE[type]]: PAYLOAD_SCHEMAS[type] } as PayloadShape<T>;
  return z.looseObject({ ...envelopeFields, type: z.literal(type), payload: z.strictObject(shape) });
}

/** One zod schema per event type. Parsing normalises every stream and message id to the URL-safe form. */
export const EVENT_SCHEMAS = {
  MESSAGESENT: eventSchema('MESSAGESENT'),
  MESSAGESUPPRESSED: eventSchema('MESSAGESUPPRESSED'),
  SYMPHONYELEMENTSACTION: eventSchema('SYMPHONYELEMENTSACTION'),
  SHAREDPOST: eventSchema('SHAREDPOST'),
  INSTANTMESSAGECREATED: eventSchema('INSTANTMESSAGECREATED'),
  ROOMCREATED: eventSchema('ROOMCREATED'),
  ROOMUPDATED: eventSchema('ROOMUPDATED'),
  ROOMDEACTIVATED: eventSchema('ROOMDEACTIVATED'),
  ROOMREACTIVATED: eventSchema('ROOMREACTIVATED'),
  USERJOINEDROOM: eventSchema('USERJOINEDROOM'),
  USERLEFTROOM: eventSchema('USERLEFTROOM'),
  ROOMMEMBERPROMOTEDTOOWNER: eventSchema('ROOMMEMBERPROMOTEDTOOWNER'),
  ROOMMEMBERDEMOTEDFROMOWNER: eventSchema('ROOMMEMBERDEMOTEDFROMOWNER'),
  USERREQUESTEDTOJOINROOM: eventSchema('USERREQUESTEDTOJOINROOM'),
  CONNECTIONREQUESTED: eventSchema('CONNECTIONREQUESTED'),
  CONNECTIONACCEPTED: eventSchema('CONNECTIONACCEPTED'),
  GENERICSYSTEMEVENT: eventSchema('GENERICSYSTEMEVENT'),
} as const satisfies Record<EventType, z.ZodType>;

import { z } from 'zod';
import { lenientOptional, streamIdSchema } from './schema-helpers.ts';
import { v4UserSchema } from './v4-user.ts';

/**
 * `V4Stream`. `streamType` is IM, MIM, ROOM or POST today; it is kept as a free string so a new type does not
 * make every event of that stream invalid.
 */
export const v4StreamSchema = z.looseObject({
  streamId: streamIdSchema,
  streamType: lenientOptional(z.string()),
  roomName: lenientOptional(z.string()),
  members: lenientOptional(z.array(v4UserSchema)),
  external: lenientOptional(z.boolean()),
  crossPod: lenientOptional(z.boolean()),
  recipientTenantIds: lenientOptional(z.array(z.number())),
});

export type V4Stream = z.output<typeof v4StreamSchema>;

import { z } from 'zod';
import { lenientOptional, userIdSchema } from './schema-helpers.ts';

/** `V4User`: only `userId` is guaranteed; the names depend on the event and the pod's privacy settings. */
export const v4UserSchema = z.looseObject({
  userId: userIdSchema,
  firstName: lenientOptional(z.string()),
  lastName: lenientOptional(z.string()),
  displayName: lenientOptional(z.string()),
  email: lenientOptional(z.string()),
  username: lenientOptional(z.string()),
});

export type V4User = z.output<typeof v4UserSchema>;

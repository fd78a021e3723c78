import { z } from 'zod';
import { lenientOptional } from './schema-helpers.ts';
import { v4UserSchema } from './v4-user.ts';

const keywordSchema = z.looseObject({
  key: lenientOptional(z.string()),
  value: lenientOptional(z.string()),
});

/** `V4RoomProperties` (ROOMCREATED, ROOMUPDATED): every field is optional. */
export const v4RoomPropertiesSchema = z.looseObject({
  name: lenientOptional(z.string()),
  description: lenientOptional(z.string()),
  creatorUser: lenientOptional(v4UserSchema),
  createdDate: lenientOptional(z.number()),
  external: lenientOptional(z.boolean()),
  crossPod: lenientOptional(z.boolean()),
  public: lenientOptional(z.boolean()),
  copyProtected: lenientOptional(z.boolean()),
  readOnly: lenientOptional(z.boolean()),
  discoverable: lenientOptional(z.boolean()),
  membersCanInvite: lenientOptional(z.boolean()),
  keywords: lenientOptional(z.array(keywordSchema)),
  canViewHistory: lenientOptional(z.boolean()),
});

export type V4RoomProperties = z.output<typeof v4RoomPropertiesSchema>;

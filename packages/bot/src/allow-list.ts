/** Who may run something: users and/or streams (a list left out admits everyone). */
export interface AllowList {
  users?: ReadonlySet<number>;
  streams?: ReadonlySet<string>;
}

/** The allow list of `users` and `streams` as given in options (arrays of ids). */
export function toAllowList(opts: { users?: readonly number[]; streams?: readonly string[] }): AllowList {
  const list: AllowList = {};
  if (opts.users) list.users = new Set(opts.users);
  if (opts.streams) list.streams = new Set(opts.streams);
  return list;
}

/** Whether the initiator (`userId` undefined when the event has none) in `streamId` passes `allow`. */
export function isAllowed(allow: AllowList, userId: number | undefined, streamId: string): boolean {
  const userOk = !allow.users || (userId !== undefined && allow.users.has(userId));
  const streamOk = !allow.streams || allow.streams.has(streamId);
  return userOk && streamOk;
}

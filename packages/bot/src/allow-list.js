/** The allow list of `users` and `streams` as given in options (arrays of ids). */
export function toAllowList(opts) {
  const list = {};
  if (opts.users) list.users = new Set(opts.users);
  if (opts.streams) list.streams = new Set(opts.streams);
  return list;
}
/** Whether the initiator (`userId` undefined when the event has none) in `streamId` passes `allow`. */
export function isAllowed(allow, userId, streamId) {
  const userOk = !allow.users || (userId !== undefined && allow.users.has(userId));
  const streamOk = !allow.streams || allow.streams.has(streamId);
  return userOk && streamOk;
}
//# sourceMappingURL=allow-list.js.map

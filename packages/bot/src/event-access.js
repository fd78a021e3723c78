function payloadOf(event) {
  const values = Object.values(event.payload);
  const first = values[0];
  return typeof first === 'object' && first !== null ? first : undefined;
}
/** The stream the event happened in ('' for stream-less events such as CONNECTIONREQUESTED). */
export function streamOf(event) {
  const payload = payloadOf(event);
  return payload?.stream ?? payload?.message?.stream ?? {};
}
export function streamIdOf(event) {
  return streamOf(event).streamId ?? '';
}
export function initiatorOf(event) {
  const user = event.initiator?.user;
  if (!user || typeof user.userId !== 'number') return undefined;
  const initiator = { userId: user.userId };
  if (user.displayName !== undefined) initiator.displayName = user.displayName;
  if (user.username !== undefined) initiator.username = user.username;
  return initiator;
}
//# sourceMappingURL=event-access.js.map

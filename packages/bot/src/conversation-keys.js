/** State keys of conversations and dialog steps (one place, so context and planner agree). */
export const conversationKeys = {
  /** `ctx.conversation` of one user in one stream. */
  conversation: (streamId, userId) => `conv:${streamId}:${userId}`,
  /** The step `ctx.expect` is waiting for. */
  pending: (streamId, userId) => `conv-step:${streamId}:${userId}`,
  /** The step an event was routed to, so a retried event reaches the same step even if the first try moved on. */
  route: (eventKey) => `conv-route:${eventKey}`,
};
/** How long the route of a retried event is remembered. */
export const ROUTE_TTL_SEC = 24 * 3600;
//# sourceMappingURL=conversation-keys.js.map

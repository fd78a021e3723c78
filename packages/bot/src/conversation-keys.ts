/** State keys of conversations and dialog steps (one place, so context and planner agree). */
export const conversationKeys = {
  /** `ctx.conversation` of one user in one stream. */
  conversation: (streamId: string, userId: number) => `conv:${streamId}:${userId}`,
  /** The step `ctx.expect` is waiting for. */
  pending: (streamId: string, userId: number) => `conv-step:${streamId}:${userId}`,
  /** The step an event was routed to, so a retried event reaches the same step even if the first try moved on. */
  route: (eventKey: string) => `conv-route:${eventKey}`,
} as const;

/** How long the route of a retried event is remembered. */
export const ROUTE_TTL_SEC = 24 * 3600;

/** What `ctx.expect` stores: the step name and a unique id, so a step only clears its own expectation. */
export interface PendingStep {
  step: string;
  id: string;
}

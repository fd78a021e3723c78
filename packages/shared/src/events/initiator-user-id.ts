import type { BatonEvent } from './baton-event.ts';

/** The user who caused the event (for MESSAGESENT, the sender; it can be the bot itself). */
export function initiatorUserId(event: BatonEvent): number {
  return event.initiator.user.userId;
}

import type { BatonEvent } from '../events/baton-event.ts';
import { parseEntities } from './parse-entities.ts';

export interface AddressesBotOptions {
  /** When true, a message in a 1:1 IM must still mention the bot. */
  readonly requireMentionInIm: boolean;
}

/**
 * Whether a MESSAGESENT is meant for the bot: it mentions the bot's user id, or (unless `requireMentionInIm`) it
 * was sent in an IM. Other event types, and the bot's own messages, never address it.
 */
export function addressesBot(event: BatonEvent, botUserId: number, options: AddressesBotOptions): boolean {
  if (event.type !== 'MESSAGESENT') return false;
  const message = event.payload.messageSent.message;
  if (message.user.userId === botUserId || event.initiator.user.userId === botUserId) return false;
  if (parseEntities(message.data).mentions.includes(botUserId)) return true;
  return !options.requireMentionInIm && message.stream.streamType === 'IM';
}

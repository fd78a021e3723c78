import type { BatonEvent } from '@baton/shared/events';
import type { BotRegistry } from './bot-registry.ts';
import { initiatorOf } from './event-access.ts';
import { messageAddressesBot } from './is-addressed.ts';
import type { BotUser } from './runtime-contract.ts';

export const DEFAULT_FAILURE_TEXT =
  'Sorry, something went wrong while handling that. Please try again in a moment.';

/**
 * The text the runtime posts once after an event finally failed: for a form the bot handles, or a message
 * addressed to the bot (never for the bot's own messages, or chatter it was not asked about).
 */
export function failureReplyFor(
  registry: BotRegistry,
  event: BatonEvent,
  botUser: BotUser,
  opts: { failureText: string | false; requireMentionInIm: boolean },
): string | undefined {
  if (opts.failureText === false) return undefined;
  if (event.type === 'SYMPHONYELEMENTSACTION') {
    return registry.forms.has(event.payload.symphonyElementsAction.formId) ? opts.failureText : undefined;
  }
  if (event.type !== 'MESSAGESENT') return undefined;
  if (initiatorOf(event)?.userId === botUser.userId) return undefined;
  return messageAddressesBot(event, botUser.userId, opts.requireMentionInIm) ? opts.failureText : undefined;
}

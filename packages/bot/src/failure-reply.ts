import type { BatonEvent } from '@baton/shared/events';
import type { BotRegistry } from './bot-registry.ts';
import type { DispatchPlan } from './dispatch-plan.ts';
import { initiatorOf } from './event-access.ts';
import { messageAddressesBot } from './is-addressed.ts';
import type { BotUser } from './runtime-contract.ts';

export const DEFAULT_FAILURE_TEXT =
  'Sorry, something went wrong while handling that. Please try again in a moment.';

/**
 * The text the runtime posts once after an event finally failed: for a form the bot handles, or a message
 * addressed to the bot (never for the bot's own messages, or chatter it was not asked about). Whether a message
 * was addressed is the `plan` `handle` made for the event; only for an event this bot never planned (its
 * planning failed, or the caller asks about an event it did not hand to `handle`) is it worked out here.
 */
export function failureReplyFor(
  registry: BotRegistry,
  event: BatonEvent,
  botUser: BotUser,
  opts: { failureText: string | false; requireMentionInIm: boolean },
  plan?: Pick<DispatchPlan, 'addressed'>,
): string | undefined {
  if (opts.failureText === false) return undefined;
  if (event.type === 'SYMPHONYELEMENTSACTION') {
    return registry.forms.has(event.payload.symphonyElementsAction.formId) ? opts.failureText : undefined;
  }
  if (event.type !== 'MESSAGESENT') return undefined;
  if (initiatorOf(event)?.userId === botUser.userId) return undefined;
  const addressed = plan?.addressed ?? messageAddressesBot(event, botUser.userId, opts.requireMentionInIm);
  return addressed ? opts.failureText : undefined;
}

import type { BatonEvent } from '@baton/shared/events';
import {
  parseCommandInput,
  presentationMlToText,
  type Token,
  tokenizeMessage,
} from '@baton/shared/messageml';
import { isAllowed } from './allow-list.ts';
import type { BotRegistry } from './bot-registry.ts';
import { conversationKeys, type PendingStep, ROUTE_TTL_SEC } from './conversation-keys.ts';
import type { DispatchContext } from './dispatch-context.ts';
import { type DispatchPlan, NOTHING_TO_RUN } from './dispatch-plan.ts';
import { renderUnknownCommand, renderUsageError } from './help.ts';
import { isAddressed } from './is-addressed.ts';
import { matchArgs, tokenText } from './match-command.ts';

export interface MessagePlanOptions {
  requireMentionInIm: boolean;
  botName: string;
}

/**
 * Decides what a MESSAGESENT runs: a pending dialog step, a command (its arguments matched and typed, its
 * allow list checked), the unknown-command or usage-error reply, or nothing, and whether the message was addressed
 * to the bot (the failure reply reuses it). Fills `ctx.tokens`, `ctx.text`, `ctx.command`, `ctx.args` and
 * `ctx.step` for the handler and the middleware.
 */
export async function planMessage(
  registry: BotRegistry,
  event: Extract<BatonEvent, { type: 'MESSAGESENT' }>,
  ctx: DispatchContext,
  opts: MessagePlanOptions,
): Promise<DispatchPlan> {
  const botUserId = ctx.botUser.userId;
  const msg = event.payload.messageSent.message;
  const tokens: Token[] = tokenizeMessage(msg.message, msg.data);
  const input = parseCommandInput(tokens, botUserId);
  const addressed = isAddressed(input.mentionsBot, msg.stream.streamType, opts.requireMentionInIm);
  const withoutBot = tokens.filter((t) => !(t.kind === 'mention' && t.userId === botUserId));
  ctx['tokens'] = tokens;
  ctx['text'] =
    withoutBot.length === tokens.length
      ? presentationMlToText(msg.message)
      : withoutBot.map(tokenText).join(' ');
  const user = ctx.user;

  if (!input.command) {
    const route = conversationKeys.route(ctx.eventKey);
    const pendingKey = user ? conversationKeys.pending(ctx.streamId, user.userId) : undefined;
    const pending = pendingKey
      ? ((await ctx.state.get<PendingStep>(route)) ?? (await ctx.state.get<PendingStep>(pendingKey)))
      : undefined;
    const stepHandler = pending ? registry.steps.get(pending.step) : undefined;
    if (pending && stepHandler && pendingKey) {
      ctx['step'] = pending.step;
      return {
        addressed,
        kind: 'step',
        run: async () => {
          await ctx.state.set(route, pending, ROUTE_TTL_SEC);
          await stepHandler(ctx as never);
          const now = await ctx.state.get<PendingStep>(pendingKey);
          if (now?.id === pending.id) await ctx.state.delete(pendingKey);
        },
      };
    }
    if (addressed && !registry.listeners.has('MESSAGESENT')) {
      return {
        addressed,
        kind: 'message',
        run: async () => {
          await ctx.reply(renderUnknownCommand(undefined, [], opts.botName));
        },
      };
    }
    return { kind: 'message', addressed, run: NOTHING_TO_RUN };
  }
  if (!addressed) return { kind: 'message', addressed, run: NOTHING_TO_RUN };

  const slash = `/${input.command.slash}`;
  const found = registry.commands.find(slash, input.command.args);
  if (!found) {
    return {
      addressed,
      kind: 'unknown-command',
      run: async () => {
        await ctx.reply(renderUnknownCommand(slash, registry.commands.suggest(slash), opts.botName));
      },
    };
  }
  const { pattern, spec } = found.command;
  const matched = matchArgs(pattern, found.argTokens);
  if (!matched.ok) {
    return {
      addressed,
      kind: 'usage-error',
      command: pattern.name,
      run: async () => {
        await ctx.reply(renderUsageError(matched.problem, pattern.usage, spec.examples));
      },
    };
  }
  ctx['command'] = pattern.name;
  ctx['args'] = matched.args;
  return {
    addressed,
    kind: 'command',
    command: pattern.name,
    run: async () => {
      if (spec.allow && !isAllowed(spec.allow, user?.userId, ctx.streamId)) {
        ctx.log.info({ command: pattern.name }, 'command refused by its allow list');
        await ctx.reply(`Sorry, ${pattern.name} is not available to you here.`);
        return;
      }
      await spec.handler(ctx as never);
    },
  };
}

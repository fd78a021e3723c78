import { parseCommandInput, presentationMlToText, tokenizeMessage } from '@baton/shared/messageml';
import { isAllowed } from './allow-list.js';
import { conversationKeys, ROUTE_TTL_SEC } from './conversation-keys.js';
import { NOTHING_TO_RUN } from './dispatch-plan.js';
import { renderUnknownCommand, renderUsageError } from './help.js';
import { isAddressed } from './is-addressed.js';
import { matchArgs, tokenText } from './match-command.js';
/**
 * Decides what a MESSAGESENT runs: a pending dialog step, a command (its arguments matched and typed, its
 * allow list checked), the unknown-command or usage-error reply, or nothing. Fills `ctx.tokens`, `ctx.text`,
 * `ctx.command`, `ctx.args` and `ctx.step` for the handler and the middleware.
 */
export async function planMessage(registry, event, ctx, opts) {
  const botUserId = ctx.botUser.userId;
  const msg = event.payload.messageSent.message;
  const tokens = tokenizeMessage(msg.message, msg.data);
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
      ? ((await ctx.state.get(route)) ?? (await ctx.state.get(pendingKey)))
      : undefined;
    const stepHandler = pending ? registry.steps.get(pending.step) : undefined;
    if (pending && stepHandler && pendingKey) {
      ctx['step'] = pending.step;
      return {
        kind: 'step',
        run: async () => {
          await ctx.state.set(route, pending, ROUTE_TTL_SEC);
          await stepHandler(ctx);
          const now = await ctx.state.get(pendingKey);
          if (now?.id === pending.id) await ctx.state.delete(pendingKey);
        },
      };
    }
    if (addressed && !registry.listeners.has('MESSAGESENT')) {
      return {
        kind: 'message',
        run: async () => {
          await ctx.reply(renderUnknownCommand(undefined, [], opts.botName));
        },
      };
    }
    return { kind: 'message', run: NOTHING_TO_RUN };
  }
  if (!addressed) return { kind: 'message', run: NOTHING_TO_RUN };
  const slash = `/${input.command.slash}`;
  const found = registry.commands.find(slash, input.command.args);
  if (!found) {
    return {
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
    kind: 'command',
    command: pattern.name,
    run: async () => {
      if (spec.allow && !isAllowed(spec.allow, user?.userId, ctx.streamId)) {
        ctx.log.info({ command: pattern.name }, 'command refused by its allow list');
        await ctx.reply(`Sorry, ${pattern.name} is not available to you here.`);
        return;
      }
      await spec.handler(ctx);
    },
  };
}
//# sourceMappingURL=plan-message.js.map

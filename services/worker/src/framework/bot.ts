import { createHash, randomUUID } from 'node:crypto';
import type { BatonEvent, Token } from '@baton/shared';
import { parseCommandInput, presentationMlToText, tokenizeMessage } from '@baton/shared';
import { type AllowList, isAllowed, toAllowList } from './allow-list.ts';
import type { Bot, BotOptions, CommandInfo } from './bot-types.ts';
import { createCommandRegistry } from './command-registry.ts';
import type {
  BaseContext,
  CommandHandler,
  CommandSpec,
  DispatchKind,
  EventType,
  FormHandler,
  Initiator,
  ListenerHandler,
  Middleware,
  MiddlewareContext,
  ReplyContent,
  StepHandler,
  TaskHandler,
} from './context.ts';
import { BotFrameworkError, DuplicateRegistrationError, UnknownTaskError } from './errors.ts';
import { initiatorOf, streamIdOf } from './event-access.ts';
import { type HelpEntry, renderHelp, renderUnknownCommand, renderUsageError } from './help.ts';
import { matchArgs, tokenText } from './match-command.ts';
import { messageMLKit } from './message-ml-kit.ts';
import { parseCommandPattern } from './parse-command-pattern.ts';
import { toOutgoing } from './render.ts';
import type { HandleMeta, RuntimeServices, TaskRun } from './runtime-services.ts';

// Handlers are stored type-erased; `command()` checks the argument types at the call site.
type AnyCommandHandler = CommandHandler<Record<string, unknown>>;
interface StoredSpec {
  description: string;
  examples: string[];
  handler: AnyCommandHandler;
  allow: AllowList | undefined;
  hidden: boolean;
  builtIn: boolean;
}
interface PendingStep {
  step: string;
  id: string;
}
interface Plan {
  kind: DispatchKind;
  command?: string;
  run: () => Promise<void>;
}
/** The one context object of a dispatch: every handler kind reads the fields it needs. */
type Ctx = MiddlewareContext & Record<string, unknown>;

const DEFAULT_FAILURE_TEXT = 'Sorry, something went wrong while handling that. Please try again in a moment.';

const conversationKey = (streamId: string, userId: number) => `conv:${streamId}:${userId}`;
const pendingKey = (streamId: string, userId: number) => `conv-step:${streamId}:${userId}`;
/** The step an event was routed to, so a retried event reaches the same step even if the first try moved on. */
const routeKey = (eventKey: string) => `conv-route:${eventKey}`;
const ROUTE_TTL_SEC = 24 * 3600;
/**
 * Idempotency id of the n-th `ctx.schedule` of an event: `s` + 32 hex characters, a valid BullMQ job id (no `:`,
 * never an integer).
 */
const scheduleId = (opKey: string, n: number) =>
  `s${createHash('sha256').update(`${opKey}#schedule#${n}`).digest('hex').slice(0, 32)}`;

/** Creates a bot: register commands, listeners, forms, tasks, steps and middleware, then hand it to a runtime. */
export function createBot(options: BotOptions = {}): Bot {
  const opts = {
    requireMentionInIm: options.requireMentionInIm ?? false,
    ignoreSelf: options.ignoreSelf ?? true,
    help: options.help ?? true,
    conversationTtlSec: options.conversationTtlSec ?? 600,
    failureText: options.failureText ?? DEFAULT_FAILURE_TEXT,
    name: options.name,
  };
  const registry = createCommandRegistry<StoredSpec>();
  const listeners = new Map<EventType, ListenerHandler[]>();
  const forms = new Map<string, FormHandler>();
  const tasks = new Map<string, TaskHandler>();
  const steps = new Map<string, StepHandler>();
  const middlewares: Middleware[] = [];
  let lastBotUserId: number | undefined;

  /** A message is meant for the bot when it mentions the bot, or (unless `requireMentionInIm`) came in an IM. */
  const isAddressed = (mentionsBot: boolean, streamType: string | undefined) =>
    mentionsBot || ((streamType ?? '').toUpperCase() === 'IM' && !opts.requireMentionInIm);

  const helpEntries = (): HelpEntry[] =>
    registry
      .all()
      .filter((c) => !c.spec.hidden)
      .map((c) => ({
        name: c.pattern.name,
        usage: c.pattern.usage,
        description: c.spec.description,
        examples: c.spec.examples,
      }));

  function addCommand(pattern: string, spec: StoredSpec): void {
    const parsed = parseCommandPattern(pattern);
    registry.add(parsed, spec, { replace: registry.get(parsed.name)?.spec.builtIn === true });
  }

  function makeContext(
    event: BatonEvent | undefined,
    streamId: string,
    user: Initiator | undefined,
    services: RuntimeServices,
    meta: HandleMeta | undefined,
    opKey: string,
    log: RuntimeServices['logger'],
  ): Ctx {
    const { state } = services;
    const convUser = user?.userId ?? 0;
    let schedules = 0;
    const send = (target: string, content: ReplyContent, data?: Record<string, unknown>) =>
      services.replies.send(target, toOutgoing(content, data));
    const ctx: BaseContext = {
      event,
      streamId,
      user,
      botUser: services.botUser,
      client: services.client,
      state,
      log,
      services,
      meta,
      eventKey: opKey,
      messageML: messageMLKit,
      conversation: {
        get: <T>() => state.get<T>(conversationKey(streamId, convUser)),
        set: (value, ttlSec) =>
          state.set(conversationKey(streamId, convUser), value, ttlSec ?? opts.conversationTtlSec),
        clear: async () => {
          await state.delete(conversationKey(streamId, convUser));
          await state.delete(pendingKey(streamId, convUser));
        },
      },
      reply: (content, data) => send(streamId, content, data),
      send,
      schedule: (delayMs, taskName, data) => {
        if (!tasks.has(taskName)) throw new UnknownTaskError(taskName);
        const id = scheduleId(opKey, ++schedules);
        return services.scheduler.schedule(delayMs, { name: taskName, streamId, data: data ?? null, id });
      },
      expect: async (step, o) => {
        if (!steps.has(step))
          throw new BotFrameworkError('UNKNOWN_STEP', `No step handler registered for "${step}"`);
        const pending: PendingStep = { step, id: randomUUID() };
        await state.set(pendingKey(streamId, convUser), pending, o?.ttlSec ?? opts.conversationTtlSec);
      },
    };
    return Object.assign(ctx, { kind: 'event' as DispatchKind }) as Ctx;
  }

  async function runMiddleware(ctx: Ctx, final: () => Promise<void>): Promise<void> {
    const dispatch = async (i: number): Promise<void> => {
      const mw = middlewares[i];
      if (!mw) return final();
      let called = false;
      await mw(ctx, async () => {
        if (called) throw new BotFrameworkError('NEXT_CALLED_TWICE', 'middleware called next() twice');
        called = true;
        await dispatch(i + 1);
      });
    };
    await dispatch(0);
  }

  async function runListeners(type: EventType, ctx: Ctx): Promise<void> {
    for (const listener of listeners.get(type) ?? []) {
      await (listener as (c: Ctx) => Promise<void> | void)(ctx);
    }
  }

  async function planMessage(event: Extract<BatonEvent, { type: 'MESSAGESENT' }>, ctx: Ctx): Promise<Plan> {
    const botUserId = ctx.botUser.userId;
    const msg = event.payload.messageSent.message;
    const tokens: Token[] = tokenizeMessage(msg.message, msg.data);
    const input = parseCommandInput(tokens, botUserId);
    const addressed = isAddressed(input.mentionsBot, msg.stream.streamType);
    const withoutBot = tokens.filter((t) => !(t.kind === 'mention' && t.userId === botUserId));
    ctx['tokens'] = tokens;
    ctx['text'] =
      withoutBot.length === tokens.length
        ? presentationMlToText(msg.message)
        : withoutBot.map(tokenText).join(' ');
    const user = ctx.user;

    if (!input.command) {
      const route = routeKey(ctx.eventKey);
      const pending = user
        ? ((await ctx.state.get<PendingStep>(route)) ??
          (await ctx.state.get<PendingStep>(pendingKey(ctx.streamId, user.userId))))
        : undefined;
      const stepHandler = pending ? steps.get(pending.step) : undefined;
      if (pending && stepHandler && user) {
        ctx['step'] = pending.step;
        return {
          kind: 'step',
          run: async () => {
            await ctx.state.set(route, pending, ROUTE_TTL_SEC);
            await stepHandler(ctx as never);
            const now = await ctx.state.get<PendingStep>(pendingKey(ctx.streamId, user.userId));
            if (now?.id === pending.id) await ctx.state.delete(pendingKey(ctx.streamId, user.userId));
          },
        };
      }
      if (addressed && !listeners.has('MESSAGESENT')) {
        return {
          kind: 'message',
          run: async () => {
            await ctx.reply(renderUnknownCommand(undefined, [], botName(ctx)));
          },
        };
      }
      return { kind: 'message', run: async () => {} };
    }
    if (!addressed) return { kind: 'message', run: async () => {} };

    const slash = `/${input.command.slash}`;
    const { args } = input.command;
    const found = registry.find(slash, args);
    if (!found) {
      return {
        kind: 'unknown-command',
        run: async () => {
          await ctx.reply(renderUnknownCommand(slash, registry.suggest(slash), botName(ctx)));
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
        await spec.handler(ctx as never);
      },
    };
  }

  function planForm(event: Extract<BatonEvent, { type: 'SYMPHONYELEMENTSACTION' }>, ctx: Ctx): Plan {
    const action = event.payload.symphonyElementsAction;
    ctx['formId'] = action.formId;
    ctx['formMessageId'] = action.formMessageId;
    ctx['values'] = action.formValues;
    ctx['action'] = typeof action.formValues['action'] === 'string' ? action.formValues['action'] : undefined;
    const handler = forms.get(action.formId);
    return {
      kind: 'form',
      run: async () => {
        if (handler) await handler(ctx as never);
        else if (!listeners.has('SYMPHONYELEMENTSACTION'))
          ctx.log.debug({ formId: action.formId }, 'no form handler');
      },
    };
  }

  const botName = (ctx: BaseContext) => opts.name ?? ctx.botUser.displayName ?? ctx.botUser.username;

  const bot: Bot = {
    command<P extends string>(pattern: P, spec: CommandSpec<P>): Bot {
      addCommand(pattern, {
        description: spec.description,
        examples: spec.examples ?? [],
        handler: spec.handler as unknown as AnyCommandHandler,
        allow: spec.allow ? toAllowList(spec.allow) : undefined,
        hidden: spec.hidden ?? false,
        builtIn: false,
      });
      return bot;
    },
    on(type, handler) {
      const list = listeners.get(type) ?? [];
      list.push(handler as unknown as ListenerHandler);
      listeners.set(type, list);
      return bot;
    },
    form(formId, handler) {
      if (forms.has(formId)) throw new DuplicateRegistrationError('form', formId);
      forms.set(formId, handler);
      return bot;
    },
    task(name, handler) {
      if (tasks.has(name)) throw new DuplicateRegistrationError('task', name);
      tasks.set(name, handler);
      return bot;
    },
    step(name, handler) {
      if (steps.has(name)) throw new DuplicateRegistrationError('step', name);
      steps.set(name, handler);
      return bot;
    },
    use(middleware) {
      middlewares.push(middleware);
      return bot;
    },
    async handle(event, services, meta) {
      lastBotUserId = services.botUser.userId;
      const streamId = streamIdOf(event);
      const user = initiatorOf(event);
      const log = services.logger.child({ streamId, eventKey: meta.eventKey, eventType: event.type });
      if (opts.ignoreSelf && user?.userId === services.botUser.userId) {
        log.debug('ignoring an event the bot caused itself');
        return;
      }
      const ctx = makeContext(event, streamId, user, services, meta, meta.eventKey, log);
      let plan: Plan;
      if (event.type === 'MESSAGESENT') plan = await planMessage(event, ctx);
      else if (event.type === 'SYMPHONYELEMENTSACTION') plan = planForm(event, ctx);
      else plan = { kind: 'event', run: async () => {} };
      ctx.kind = plan.kind;
      if (plan.command !== undefined) ctx.command = plan.command;
      await runMiddleware(ctx, async () => {
        await plan.run();
        await runListeners(event.type, ctx);
      });
    },
    async handleTask(task: TaskRun, services: RuntimeServices) {
      const handler = tasks.get(task.name);
      const log = services.logger.child({ streamId: task.streamId, taskId: task.id, task: task.name });
      if (!handler) throw new UnknownTaskError(task.name);
      const ctx = makeContext(
        undefined,
        task.streamId,
        undefined,
        services,
        undefined,
        `task-${task.id}`,
        log,
      );
      ctx.kind = 'task';
      ctx['task'] = task;
      ctx['data'] = task.data;
      await runMiddleware(ctx, async () => {
        await handler(ctx as never);
      });
    },
    failureReply(event) {
      if (opts.failureText === false) return undefined;
      if (event.type === 'SYMPHONYELEMENTSACTION') {
        return forms.has(event.payload.symphonyElementsAction.formId) ? opts.failureText : undefined;
      }
      if (event.type !== 'MESSAGESENT') return undefined;
      if (lastBotUserId !== undefined && initiatorOf(event)?.userId === lastBotUserId) return undefined;
      const msg = event.payload.messageSent.message;
      const input = parseCommandInput(tokenizeMessage(msg.message, msg.data), lastBotUserId ?? -1);
      return isAddressed(input.mentionsBot, msg.stream.streamType) ? opts.failureText : undefined;
    },
    commands(): CommandInfo[] {
      return registry.all().map((c) => ({
        name: c.pattern.name,
        pattern: c.pattern.source,
        usage: c.pattern.usage,
        description: c.spec.description,
        examples: c.spec.examples,
        hidden: c.spec.hidden,
      }));
    },
  };

  if (opts.help) {
    addCommand('/help [topic:text]', {
      description: 'List the commands, or explain one (/help room create)',
      examples: ['/help', '/help echo'],
      handler: async (ctx) => {
        await ctx.reply(renderHelp(helpEntries(), ctx.args['topic'] as string | undefined, botName(ctx)));
      },
      allow: undefined,
      hidden: false,
      builtIn: true,
    });
  }
  return bot;
}

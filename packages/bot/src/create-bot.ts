import type { BatonEvent } from '@baton/shared/events';
import { DEFAULT_ATTACHMENT_LIMITS } from '@baton/shared/symphony-types';
import { createBotRegistry } from './bot-registry.ts';
import type { Bot, BotOptions, CommandInfo } from './bot-types.ts';
import type { BaseContext, ListenerHandler } from './context.ts';
import { createDispatchContext, type DispatchContext, type FileOptions } from './dispatch-context.ts';
import { type DispatchPlan, NOTHING_TO_RUN } from './dispatch-plan.ts';
import { DEFAULT_MAX_DOWNLOAD_BYTES } from './download-attachment.ts';
import { UnknownTaskError } from './errors.ts';
import { initiatorOf, streamIdOf } from './event-access.ts';
import { DEFAULT_FAILURE_TEXT, failureReplyFor } from './failure-reply.ts';
import { registerHelpCommand } from './help-command.ts';
import { planForm } from './plan-form.ts';
import { planMessage } from './plan-message.ts';
import { runMiddleware } from './run-middleware.ts';

/** Creates a bot: register commands, listeners, forms, tasks, steps and middleware, then hand it to a runtime. */
export function createBot(options: BotOptions = {}): Bot {
  const opts = {
    requireMentionInIm: options.requireMentionInIm ?? false,
    ignoreSelf: options.ignoreSelf ?? true,
    help: options.help ?? true,
    conversationTtlSec: options.conversationTtlSec ?? 600,
    failureText: options.failureText ?? DEFAULT_FAILURE_TEXT,
    name: options.name,
    id: options.id ?? options.name,
  };
  const files: FileOptions = {
    maxDownloadBytes: options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
    limits: options.allowedAttachmentTypes
      ? {
          ...DEFAULT_ATTACHMENT_LIMITS,
          allowedExtensions: options.allowedAttachmentTypes.map((t) =>
            (t.startsWith('.') ? t : `.${t}`).toLowerCase(),
          ),
        }
      : DEFAULT_ATTACHMENT_LIMITS,
  };
  const registry = createBotRegistry();
  /** The plan `handle` made for each event it was given: the failure reply reuses it (same event object). */
  const planned = new WeakMap<BatonEvent, DispatchPlan>();
  const botName = (ctx: Pick<BaseContext, 'botUser'>) =>
    opts.name ?? ctx.botUser.displayName ?? ctx.botUser.username;

  const runListeners = async (ctx: DispatchContext, type: Parameters<Bot['on']>[0]) => {
    for (const listener of registry.listeners.get(type) ?? []) {
      await (listener as (c: DispatchContext) => Promise<void> | void)(ctx);
    }
  };

  const bot: Bot = {
    command(pattern, spec) {
      registry.addSpec(pattern, spec);
      return bot;
    },
    on(type, handler) {
      registry.addListener(type, handler as unknown as ListenerHandler);
      return bot;
    },
    form(formId, handler) {
      registry.addForm(formId, handler);
      return bot;
    },
    task(name, handler) {
      registry.addTask(name, handler);
      return bot;
    },
    step(name, handler) {
      registry.addStep(name, handler);
      return bot;
    },
    use(middleware) {
      registry.middlewares.push(middleware);
      return bot;
    },
    async handle(event, services, meta) {
      const streamId = streamIdOf(event);
      const user = initiatorOf(event);
      const log = services.logger.child({ streamId, eventKey: meta.eventKey, eventType: event.type });
      if (opts.ignoreSelf && user?.userId === services.botUser.userId) {
        log.debug('ignoring an event the bot caused itself');
        return;
      }
      const scope = { event, streamId, user, services, meta, opKey: meta.eventKey, log };
      const ctx = createDispatchContext(registry, opts.conversationTtlSec, scope, files);
      let plan: DispatchPlan;
      if (event.type === 'MESSAGESENT') {
        plan = await planMessage(registry, event, ctx, {
          requireMentionInIm: opts.requireMentionInIm,
          botName: botName(ctx),
        });
      } else if (event.type === 'SYMPHONYELEMENTSACTION') plan = planForm(registry, event, ctx);
      else plan = { kind: 'event', run: NOTHING_TO_RUN };
      planned.set(event, plan);
      ctx.kind = plan.kind;
      if (plan.command !== undefined) ctx.command = plan.command;
      await runMiddleware(registry.middlewares, ctx, async () => {
        await plan.run();
        await runListeners(ctx, event.type);
      });
    },
    async handleTask(task, services) {
      const handler = registry.tasks.get(task.name);
      const log = services.logger.child({ streamId: task.streamId, taskId: task.id, task: task.name });
      if (!handler) throw new UnknownTaskError(task.name);
      const scope = {
        event: undefined,
        streamId: task.streamId,
        user: undefined,
        services,
        meta: undefined,
        opKey: `task-${task.id}`,
        log,
      };
      const ctx = createDispatchContext(registry, opts.conversationTtlSec, scope, files);
      ctx.kind = 'task';
      ctx['task'] = task;
      ctx['data'] = task.data;
      await runMiddleware(registry.middlewares, ctx, async () => {
        await handler(ctx as never);
      });
    },
    failureReply(event, botUser) {
      return failureReplyFor(registry, event, botUser, opts, planned.get(event));
    },
    commands(): CommandInfo[] {
      return registry.commands.all().map((c) => ({
        name: c.pattern.name,
        pattern: c.pattern.source,
        usage: c.pattern.usage,
        description: c.spec.description,
        examples: c.spec.examples,
        hidden: c.spec.hidden,
      }));
    },
    identity() {
      return {
        name: opts.id,
        commands: registry.commands
          .all()
          .map((c) => c.pattern.source)
          .sort(),
        ...(options.version !== undefined ? { version: options.version } : {}),
      };
    },
  };

  if (opts.help) registerHelpCommand(registry, botName);
  return bot;
}

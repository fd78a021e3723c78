import { createHash, randomUUID } from 'node:crypto';
import type { BatonEvent } from '@baton/shared/events';
import type { BotRegistry } from './bot-registry.ts';
import type { BaseContext, DispatchKind, Initiator, MiddlewareContext, ReplyContent } from './context.ts';
import { conversationKeys, type PendingStep } from './conversation-keys.ts';
import { UnknownStepError, UnknownTaskError } from './errors.ts';
import { messageMLKit } from './message-ml-kit.ts';
import { toOutgoing } from './render.ts';
import type { HandleMeta, RuntimeServices } from './runtime-contract.ts';

/** The one context object of a dispatch: every handler kind reads the fields it needs. */
export type DispatchContext = MiddlewareContext & Record<string, unknown>;

/**
 * Idempotency id of the n-th `ctx.schedule` of an event: `s` + 32 hex characters, a valid BullMQ job id (no `:`,
 * never an integer).
 */
const scheduleId = (opKey: string, n: number) =>
  `s${createHash('sha256').update(`${opKey}#schedule#${n}`).digest('hex').slice(0, 32)}`;

/** Idempotency id of the n-th `ctx.updateMessage` of an event: `u` + 32 hex characters. */
const updateId = (opKey: string, n: number) =>
  `u${createHash('sha256').update(`${opKey}#update#${n}`).digest('hex').slice(0, 32)}`;

export interface DispatchScope {
  event: BatonEvent | undefined;
  streamId: string;
  user: Initiator | undefined;
  services: RuntimeServices;
  meta: HandleMeta | undefined;
  /** The key idempotent operations derive from (the event key, or `task-<id>`). */
  opKey: string;
  log: RuntimeServices['logger'];
}

/** Builds the context handlers see: reply/send, conversation state, `schedule`, `expect`, MessageML kit. */
export function createDispatchContext(
  registry: BotRegistry,
  conversationTtlSec: number,
  scope: DispatchScope,
): DispatchContext {
  const { services, streamId, user, opKey } = scope;
  const { state } = services;
  const convUser = user?.userId ?? 0;
  let schedules = 0;
  let updates = 0;
  const send = (target: string, content: ReplyContent, data?: Record<string, unknown>) =>
    services.replies.send(target, toOutgoing(content, data));
  const ctx: BaseContext = {
    event: scope.event,
    streamId,
    user,
    botUser: services.botUser,
    client: services.client,
    state,
    log: scope.log,
    services,
    meta: scope.meta,
    eventKey: opKey,
    late: scope.meta?.late === true,
    messageML: messageMLKit,
    conversation: {
      get: <T>() => state.get<T>(conversationKeys.conversation(streamId, convUser)),
      set: (value, ttlSec) =>
        state.set(conversationKeys.conversation(streamId, convUser), value, ttlSec ?? conversationTtlSec),
      clear: async () => {
        await state.delete(conversationKeys.conversation(streamId, convUser));
        await state.delete(conversationKeys.pending(streamId, convUser));
      },
    },
    reply: (content, data) => send(streamId, content, data),
    send,
    updateMessage: async (messageId, content, data) => {
      const msg = toOutgoing(content, data);
      const opId = updateId(opKey, ++updates);
      if (services.updates) return services.updates.update(streamId, messageId, msg, opId);
      return services.client.updateMessage(streamId, messageId, msg);
    },
    schedule: (delayMs, taskName, data) => {
      if (!registry.tasks.has(taskName)) throw new UnknownTaskError(taskName);
      const id = scheduleId(opKey, ++schedules);
      return services.scheduler.schedule(delayMs, { name: taskName, streamId, data: data ?? null, id });
    },
    expect: async (step, o) => {
      if (!registry.steps.has(step)) throw new UnknownStepError(step);
      const pending: PendingStep = { step, id: randomUUID() };
      await state.set(conversationKeys.pending(streamId, convUser), pending, o?.ttlSec ?? conversationTtlSec);
    },
  };
  return Object.assign(ctx, { kind: 'event' as DispatchKind }) as DispatchContext;
}

import { createHash, randomUUID } from 'node:crypto';
import { conversationKeys } from './conversation-keys.js';
import { BotFrameworkError, UnknownTaskError } from './errors.js';
import { messageMLKit } from './message-ml-kit.js';
import { toOutgoing } from './render.js';

/**
 * Idempotency id of the n-th `ctx.schedule` of an event: `s` + 32 hex characters, a valid BullMQ job id (no `:`,
 * never an integer).
 */
const scheduleId = (opKey, n) =>
  `s${createHash('sha256').update(`${opKey}#schedule#${n}`).digest('hex').slice(0, 32)}`;
/** Builds the context handlers see: reply/send, conversation state, `schedule`, `expect`, MessageML kit. */
export function createDispatchContext(registry, conversationTtlSec, scope) {
  const { services, streamId, user, opKey } = scope;
  const { state } = services;
  const convUser = user?.userId ?? 0;
  let schedules = 0;
  const send = (target, content, data) => services.replies.send(target, toOutgoing(content, data));
  const ctx = {
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
    messageML: messageMLKit,
    conversation: {
      get: () => state.get(conversationKeys.conversation(streamId, convUser)),
      set: (value, ttlSec) =>
        state.set(conversationKeys.conversation(streamId, convUser), value, ttlSec ?? conversationTtlSec),
      clear: async () => {
        await state.delete(conversationKeys.conversation(streamId, convUser));
        await state.delete(conversationKeys.pending(streamId, convUser));
      },
    },
    reply: (content, data) => send(streamId, content, data),
    send,
    schedule: (delayMs, taskName, data) => {
      if (!registry.tasks.has(taskName)) throw new UnknownTaskError(taskName);
      const id = scheduleId(opKey, ++schedules);
      return services.scheduler.schedule(delayMs, { name: taskName, streamId, data: data ?? null, id });
    },
    expect: async (step, o) => {
      if (!registry.steps.has(step))
        throw new BotFrameworkError('UNKNOWN_STEP', `No step handler registered for "${step}"`);
      const pending = { step, id: randomUUID() };
      await state.set(conversationKeys.pending(streamId, convUser), pending, o?.ttlSec ?? conversationTtlSec);
    },
  };
  return Object.assign(ctx, { kind: 'event' });
}
//# sourceMappingURL=dispatch-context.js.map

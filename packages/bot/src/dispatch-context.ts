import { createHash, randomUUID } from 'node:crypto';
import type { BatonEvent } from '@baton/shared/events';
import { type AttachmentLimits, DEFAULT_ATTACHMENT_LIMITS } from '@baton/shared/symphony-types';
import { attachmentsOf } from './attachments-of.ts';
import type { BotRegistry } from './bot-registry.ts';
import type {
  BaseContext,
  DispatchKind,
  Initiator,
  MiddlewareContext,
  ReplyContent,
  ReplyExtras,
} from './context.ts';
import { conversationKeys, type PendingStep } from './conversation-keys.ts';
import { DEFAULT_MAX_DOWNLOAD_BYTES, downloadAttachment } from './download-attachment.ts';
import { UnknownStepError, UnknownTaskError } from './errors.ts';
import { messageMLKit } from './message-ml-kit.ts';
import { createOboAccess } from './obo-context.ts';
import { toOutgoing } from './render.ts';
import { toOutgoingReply } from './reply-files.ts';
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

/** How `ctx.download` and replies with files are bounded (`createBot({ maxDownloadBytes, allowedAttachmentTypes })`). */
export interface FileOptions {
  maxDownloadBytes: number;
  limits: Readonly<AttachmentLimits>;
}

const DEFAULT_FILE_OPTIONS: FileOptions = {
  maxDownloadBytes: DEFAULT_MAX_DOWNLOAD_BYTES,
  limits: DEFAULT_ATTACHMENT_LIMITS,
};

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
  files: FileOptions = DEFAULT_FILE_OPTIONS,
): DispatchContext {
  const { services, streamId, user, opKey } = scope;
  const { state } = services;
  const convUser = user?.userId ?? 0;
  let schedules = 0;
  let updates = 0;
  const send = (target: string, content: ReplyContent, extras?: ReplyExtras) =>
    services.replies.send(target, toOutgoingReply(content, extras, files.limits));
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
    reply: (content, extras) => send(streamId, content, extras),
    send,
    attachments: attachmentsOf(scope.event),
    download: (attachment, o) =>
      downloadAttachment(services, attachment, o?.maxBytes ?? files.maxDownloadBytes),
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
    obo: createOboAccess(services, opKey, files.limits),
    expect: async (step, o) => {
      if (!registry.steps.has(step)) throw new UnknownStepError(step);
      const pending: PendingStep = { step, id: randomUUID() };
      await state.set(conversationKeys.pending(streamId, convUser), pending, o?.ttlSec ?? conversationTtlSec);
    },
  };
  return Object.assign(ctx, { kind: 'event' as DispatchKind }) as DispatchContext;
}

import { toUrlSafeId } from '@baton/shared/ids';
import { createAppControl } from './app-control.ts';
import { generateRsaKeyPair } from './pod/pod-state.ts';
import type { SimCore } from './sim-core.ts';
import { SimHttpError } from './sim-error.ts';
import type { SimUser, SimulatorControl } from './types.ts';

/** The in-process twin of the `/_sim` HTTP control API. */
export function createControl(core: SimCore): SimulatorControl {
  const { pod } = core;
  let roomCount = 0;
  const control: SimulatorControl = {
    ...createAppControl(core),
    createUser: (input) => ({ userId: pod.createUser(input).userId }),
    listUsers: (): SimUser[] => pod.listUsers().map((u) => ({ ...u })),
    createStream: ({ type, memberIds, name }) => {
      if (!Array.isArray(memberIds) || memberIds.length === 0)
        throw new SimHttpError(400, 'memberIds is required');
      const [creator, ...rest] = memberIds as [number, ...number[]];
      if (type === 'IM') return { streamId: core.createIm(creator, rest).streamId };
      if (type === 'ROOM') {
        return { streamId: core.createRoom(creator, name ?? `Room ${++roomCount}`, rest).streamId };
      }
      throw new SimHttpError(400, 'type must be "IM" or "ROOM"');
    },
    createRoomAs: ({ fromUserId, name, memberIds, description }) => {
      if (typeof name !== 'string' || !name.trim()) throw new SimHttpError(400, 'name is required');
      if (name.trim().length > 100) throw new SimHttpError(400, 'A room name has at most 100 characters');
      for (const id of memberIds) pod.requireUser(id);
      const room = core.createRoom(fromUserId, name, [], description ? { description } : {});
      for (const id of new Set(memberIds)) core.changeMembership('add', fromUserId, room.streamId, id);
      return { streamId: room.streamId };
    },
    listStreams: (memberId) => pod.listStreams(memberId).map((s) => ({ ...s, memberIds: [...s.memberIds] })),
    sendMessage: (streamId, { fromUserId, text, attachments }) =>
      core.sendClientMessage(toUrlSafeId(streamId), fromUserId, text, attachments),
    attachmentContent: (messageId, attachmentId) => {
      const message = pod.getMessage(toUrlSafeId(messageId));
      return message?.attachments?.some((a) => a.id === attachmentId)
        ? pod.getAttachment(attachmentId)
        : undefined;
    },
    submitForm: (streamId, input) => core.submitForm(toUrlSafeId(streamId), input),
    injectEvent: (userId, raw) => core.injectEvent(userId, raw),
    listMessages: (streamId) => {
      const id = toUrlSafeId(streamId);
      pod.requireStream(id);
      return [...pod.listMessages(id)];
    },
    setFaults: (spec) => {
      try {
        core.faults.set(spec);
      } catch (err) {
        throw new SimHttpError(400, (err as Error).message);
      }
      if (spec.invalidateSessions) {
        const uid = typeof spec.invalidateSessions === 'object' ? spec.invalidateSessions.userId : undefined;
        core.sessions.invalidate(uid);
      }
      if (spec.expireFeeds) {
        const t = typeof spec.expireFeeds === 'object' ? spec.expireFeeds : {};
        core.feeds.expireAll(t.userId, t.feedId);
      }
    },
    clearFaults: () => core.faults.clear(),
    invalidateSessions: (userId) => {
      core.sessions.invalidate(userId);
      if (userId === undefined) core.apps.invalidateSessions();
    },
    expireFeeds: (userId) => {
      core.feeds.expireAll(userId);
    },
    stats: () => ({
      ...core.feeds.stats(),
      messagesCreated: pod.messagesCreated,
      eventsPublished: core.feeds.eventsPublished,
      requests: Object.fromEntries(core.requests),
    }),
    onMessage: (l) => core.onMessage(l),
    onFormSubmission: (l) => core.onFormSubmission(l),
    generateKeyPair: generateRsaKeyPair,
  };
  return control;
}

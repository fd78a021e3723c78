import type { SimMessage, SimStream, SimUser } from '../types.ts';

/** Symphony wire shapes built from the simulator's state. */

export function v4User(u: SimUser): Record<string, unknown> {
  return {
    userId: u.userId,
    firstName: u.firstName,
    lastName: u.lastName,
    displayName: u.displayName,
    email: u.emailAddress,
    username: u.username,
  };
}

/** `UserV2` (sessioninfo, user lookup): the id field is `id`. */
export function userV2(u: SimUser): Record<string, unknown> {
  return {
    id: u.userId,
    emailAddress: u.emailAddress,
    firstName: u.firstName,
    lastName: u.lastName,
    displayName: u.displayName,
    title: u.bot ? 'Bot' : 'User',
    company: 'Baton',
    username: u.username,
    location: 'Local',
    accountType: u.bot ? 'SYSTEM' : 'NORMAL',
    avatars: [{ size: 'original', url: '../avatars/static/150/default.png' }],
    roles: u.bot ? ['INDIVIDUAL', 'USER_PROVISIONING'] : ['INDIVIDUAL'],
  };
}

export function v4Stream(s: SimStream): Record<string, unknown> {
  return {
    streamId: s.streamId,
    streamType: s.type,
    ...(s.type === 'ROOM' ? { roomName: s.name ?? '' } : {}),
    external: false,
    crossPod: false,
  };
}

/** `V4Message` as the agent returns it (message create, list, MESSAGESENT payload). */
export function v4Message(m: SimMessage, stream: SimStream, fromClient: boolean): Record<string, unknown> {
  return {
    messageId: m.messageId,
    timestamp: m.timestamp,
    message: m.presentationML,
    data: JSON.stringify(m.data),
    user: { userId: m.sender.userId, displayName: m.sender.displayName, username: m.sender.username },
    ...(m.attachments ? { attachments: m.attachments.map((a) => ({ ...a, images: [] })) } : {}),
    stream: { streamId: stream.streamId, streamType: stream.type },
    externalRecipients: false,
    userAgent: fromClient ? 'DESKTOP-43.0.0-baton-sim' : 'Agent-Baton-Simulator',
    originalFormat: 'com.symphony.messageml.v2',
    sid: m.messageId.slice(0, 8),
    // Message update (present only if set, as the spec says).
    ...(m.replacing !== undefined ? { replacing: m.replacing } : {}),
    ...(m.replacedBy !== undefined ? { replacedBy: m.replacedBy } : {}),
    ...(m.initialMessageId !== undefined ? { initialMessageId: m.initialMessageId } : {}),
    ...(m.initialTimestamp !== undefined ? { initialTimestamp: m.initialTimestamp } : {}),
  };
}

export function roomDetail(s: SimStream): Record<string, unknown> {
  const attrs = s.roomAttributes ?? {};
  return {
    roomAttributes: {
      name: s.name ?? '',
      description: '',
      keywords: [],
      membersCanInvite: true,
      discoverable: true,
      public: false,
      readOnly: false,
      copyProtected: false,
      crossPod: false,
      viewHistory: false,
      multiLateralRoom: false,
      ...attrs,
    },
    roomSystemInfo: {
      id: s.streamId,
      creationDate: s.createdAt,
      createdByUserId: s.createdByUserId,
      active: s.active,
    },
    groups: [],
  };
}

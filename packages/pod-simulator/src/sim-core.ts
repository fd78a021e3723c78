import { randomBytes } from 'node:crypto';
import { SessionStore } from './auth/session-store.ts';
import { AppJwtVerifier } from './auth/verify-app-jwt.ts';
import { JwtVerifier } from './auth/verify-jwt.ts';
import { FaultInjector } from './faults/fault-injector.ts';
import { FeedHub } from './feeds/feed-hub.ts';
import { newEventId, newStreamOrMessageId } from './ids.ts';
import type { SimLogger } from './logger.ts';
import { type ConvertedMessage, convertMessageML } from './messageml/convert-messageml.ts';
import { textToMessage } from './messageml/text-to-message.ts';
import { AppRegistry } from './pod/app-registry.ts';
import { PodState } from './pod/pod-state.ts';
import { v4Message, v4Stream, v4User } from './pod/wire-shapes.ts';
import { SimHttpError } from './sim-error.ts';
import type {
  SimAttachment,
  SimAttachmentUpload,
  SimFormSubmission,
  SimMessage,
  SimStream,
  SimUser,
} from './types.ts';

export interface SimCoreOptions {
  longPollMs: number;
  redeliveryMs: number;
  feedTtlMs: number;
  v1QueueSize: number;
  maxEventsPerRead: number;
  logger: SimLogger;
}

/** Symphony's limit on message + data (1.5 MB). */
export const MAX_MESSAGE_BYTES = 1.5 * 1024 * 1024;

/** Symphony's limit on the attachments of one message (30 MB in all). */
export const MAX_ATTACHMENT_TOTAL_BYTES = 30 * 1024 * 1024;

/**
 * A message over `MAX_MESSAGE_BYTES`: 400 with the agent's `V2Error` (AG `/v4/stream/{sid}/message/create`: 400
 * "Client error", schema `V2Error`, whose `code` is an int32 and required). The developer docs show the payload's
 * own names (`status=PAYLOAD_TOO_LARGE, code=LIMIT_MESSAGE_CONTENT_MAX_TOTAL_SIZE_REACHED`); they travel in
 * `details`, the V2Error's free-form object, so `code` stays the integer the spec declares.
 */
export const payloadTooLarge = (): SimHttpError =>
  new SimHttpError(400, 'Limit message-content-max-total-size reached', {
    code: 400,
    message: 'Limit message-content-max-total-size reached',
    details: { status: 'PAYLOAD_TOO_LARGE', code: 'LIMIT_MESSAGE_CONTENT_MAX_TOTAL_SIZE_REACHED' },
  });

/** The body of an agent message create or update call: the MessageML, its JSON data and the attached files. */
export interface ApiMessageBody {
  message?: string;
  data?: string;
  attachments: { name: string; size: number; bytes?: Buffer }[];
}

/**
 * The simulated pod + agent + key manager behind both the HTTP API and the in-process control: state, feeds,
 * sessions, faults, and the events every action emits.
 */
export class SimCore {
  readonly pod = new PodState();
  readonly sessions = new SessionStore();
  readonly jwt: JwtVerifier;
  /** Extension apps, their installs and app sessions (on-behalf-of authentication). */
  readonly apps = new AppRegistry();
  readonly appJwt: AppJwtVerifier;
  readonly faults = new FaultInjector();
  readonly feeds: FeedHub;
  readonly requests = new Map<string, number>();
  private readonly messageListeners = new Set<(streamId: string, m: SimMessage) => void>();
  private readonly formListeners = new Set<(s: SimFormSubmission) => void>();

  constructor(readonly opts: SimCoreOptions) {
    this.jwt = new JwtVerifier(this.pod);
    this.appJwt = new AppJwtVerifier(this.apps);
    this.feeds = new FeedHub({
      v1QueueSize: opts.v1QueueSize,
      redeliveryMs: opts.redeliveryMs,
      feedTtlMs: opts.feedTtlMs,
      logger: opts.logger.child({ component: 'feeds' }),
    });
  }

  countRequest(key: string): void {
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  onMessage(l: (streamId: string, m: SimMessage) => void): () => void {
    this.messageListeners.add(l);
    return () => this.messageListeners.delete(l);
  }

  onFormSubmission(l: (s: SimFormSubmission) => void): () => void {
    this.formListeners.add(l);
    return () => this.formListeners.delete(l);
  }

  private event(
    type: string,
    initiator: SimUser,
    payloadKey: string,
    payload: Record<string, unknown>,
    messageId?: string,
  ): Record<string, unknown> {
    return {
      id: newEventId(),
      ...(messageId ? { messageId } : {}),
      timestamp: Date.now(),
      type,
      initiator: { user: v4User(initiator) },
      payload: { [payloadKey]: payload },
    };
  }

  requireMember(stream: SimStream, userId: number): void {
    if (!stream.memberIds.includes(userId)) {
      throw new SimHttpError(403, 'The user is not a member of this stream');
    }
  }

  /**
   * Keeps the bytes of uploaded files and returns their `V4AttachmentInfo` entries. Ids look like a real pod's
   * (`internal_<uid>%2F…%3D%3D`: the `%` are part of the id, so a client must encode it in the download query).
   * Symphony's 30 MB total per message is enforced here for every way in (agent, control API, chat page).
   */
  private storeUploads(
    senderId: number,
    uploads: { name: string; size: number; bytes?: Buffer | Uint8Array }[],
  ): SimAttachment[] {
    let total = 0;
    for (const u of uploads) {
      if (typeof u.name !== 'string' || u.name.trim() === '') {
        throw new SimHttpError(400, 'Every attachment needs a file name');
      }
      total += u.size;
    }
    if (total > MAX_ATTACHMENT_TOTAL_BYTES) {
      throw new SimHttpError(400, 'Attachments exceed the maximum total size of 30 MB');
    }
    return uploads.map((u) => {
      const id = `internal_${senderId}%2F${randomBytes(16).toString('base64url')}%3D%3D`;
      if (u.bytes !== undefined) this.pod.storeAttachment(id, Buffer.from(u.bytes));
      return { id, name: u.name, size: u.size };
    });
  }

  /** Store a message and deliver MESSAGESENT to every member (sender included). */
  private postMessage(
    stream: SimStream,
    sender: SimUser,
    conv: ConvertedMessage,
    fromClient: boolean,
    attachments: SimAttachment[] = [],
    replaces?: SimMessage,
  ) {
    const msg: SimMessage = {
      messageId: newStreamOrMessageId(),
      streamId: stream.streamId,
      timestamp: Date.now(),
      sender: {
        userId: sender.userId,
        username: sender.username,
        displayName: sender.displayName,
        bot: sender.bot,
      },
      presentationML: conv.presentationML,
      data: conv.data,
      text: conv.text,
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(replaces
        ? {
            replacing: replaces.messageId,
            initialMessageId: replaces.initialMessageId ?? replaces.messageId,
            initialTimestamp: replaces.initialTimestamp ?? replaces.timestamp,
          }
        : {}),
    };
    if (replaces) this.pod.replaceMessage(replaces, msg);
    else this.pod.addMessage(msg);
    this.opts.logger.debug(
      { streamId: stream.streamId, messageId: msg.messageId, fromUserId: sender.userId },
      'message',
    );
    const wire = v4Message(msg, stream, fromClient);
    const ev = this.event('MESSAGESENT', sender, 'messageSent', { message: wire }, msg.messageId);
    ev.timestamp = msg.timestamp;
    this.feeds.publish(ev, stream.memberIds);
    for (const l of this.messageListeners) {
      try {
        l(stream.streamId, msg);
      } catch (err) {
        this.opts.logger.warn({ err }, 'onMessage listener threw');
      }
    }
    return { msg, wire };
  }

  /** `POST /agent/v4/stream/{sid}/message/create` on behalf of `userId`. */
  createMessageFromApi(userId: number, streamId: string, body: ApiMessageBody) {
    const stream = this.memberStream(streamId, userId);
    const conv = this.convertApiMessage(body);
    const atts = this.storeUploads(userId, body.attachments);
    return this.postMessage(stream, this.pod.requireUser(userId), conv, false, atts).wire;
  }

  /** The stream a message API call names, when the caller is a member (400 unknown stream, 403 not a member). */
  private memberStream(streamId: string, userId: number) {
    const stream = this.pod.getStream(streamId);
    if (!stream) throw new SimHttpError(400, `Stream ${streamId} not found`);
    this.requireMember(stream, userId);
    return stream;
  }

  /** The MessageML of a create or update call, checked (400 empty, 400 `payloadTooLarge` over the size limit) and converted. */
  private convertApiMessage({ message, data }: ApiMessageBody) {
    if (message === undefined || message.trim() === '') {
      throw new SimHttpError(400, 'Message is required and must not be empty');
    }
    if (Buffer.byteLength(message) + Buffer.byteLength(data ?? '') > MAX_MESSAGE_BYTES)
      throw payloadTooLarge();
    return convertMessageML(message, data, this.pod);
  }

  /**
   * `POST /agent/v4/stream/{sid}/message/{mid}/update` on behalf of `userId`: a new version of message `mid`
   * (a new message id, `replacing` mid, `initialMessageId`/`initialTimestamp` of the first version), stored
   * and delivered as a MESSAGESENT like a new message; mid gets `replacedBy`. Refused (400) when mid is not a
   * message of that stream or has already been replaced (update the latest version), 403 when the caller is
   * not a member or did not send mid ("It is not possible to update messages sent by other users").
   */
  updateMessageFromApi(userId: number, streamId: string, messageId: string, body: ApiMessageBody) {
    const stream = this.memberStream(streamId, userId);
    const previous = this.pod.getMessage(messageId);
    if (!previous || previous.streamId !== streamId) {
      throw new SimHttpError(400, `Message ${messageId} not found in stream ${streamId}`);
    }
    if (previous.sender.userId !== userId) {
      throw new SimHttpError(403, 'It is not possible to update messages sent by other users');
    }
    if (previous.replacedBy !== undefined) {
      throw new SimHttpError(
        400,
        `Message ${messageId} has already been replaced by ${previous.replacedBy}: update the latest version`,
      );
    }
    const conv = this.convertApiMessage(body);
    const atts = this.storeUploads(userId, body.attachments);
    return this.postMessage(stream, this.pod.requireUser(userId), conv, false, atts, previous).wire;
  }

  /** A message typed by a person in a Symphony client, with files attached (then the text may be empty). */
  sendClientMessage(
    streamId: string,
    fromUserId: number,
    text: string,
    uploads: SimAttachmentUpload[] = [],
  ): { messageId: string } {
    const stream = this.pod.requireStream(streamId);
    const user = this.pod.requireUser(fromUserId);
    this.requireMember(stream, fromUserId);
    if (typeof text !== 'string' || (text.trim() === '' && uploads.length === 0)) {
      throw new SimHttpError(400, 'text is required');
    }
    const atts = this.storeUploads(
      fromUserId,
      uploads.map((u) => ({ name: u.name, size: u.content.byteLength, bytes: u.content })),
    );
    const { msg } = this.postMessage(stream, user, textToMessage(text, this.pod), true, atts);
    return { messageId: msg.messageId };
  }

  /**
   * `GET /agent/v1/stream/{sid}/attachment?fileId=…&messageId=…`: the bytes of attachment `fileId` of message
   * `messageId` in stream `sid`, for a member of the stream. 400 when the message is not in that stream, has
   * no such attachment, or its bytes were dropped; 403 for a non-member.
   */
  readAttachment(userId: number, streamId: string, messageId: string, fileId: string): Buffer {
    this.memberStream(streamId, userId);
    const message = this.pod.getMessage(messageId);
    if (!message || message.streamId !== streamId) {
      throw new SimHttpError(400, `Message ${messageId} not found in stream ${streamId}`);
    }
    if (!message.attachments?.some((a) => a.id === fileId)) {
      throw new SimHttpError(400, `Message ${messageId} has no attachment ${fileId}`);
    }
    const bytes = this.pod.getAttachment(fileId);
    if (!bytes) throw new SimHttpError(400, `Attachment ${fileId} is no longer available`);
    return bytes;
  }

  submitForm(
    streamId: string,
    input: { fromUserId: number; formMessageId: string; formId: string; formValues: Record<string, unknown> },
  ): void {
    const stream = this.pod.requireStream(streamId);
    const user = this.pod.requireUser(input.fromUserId);
    this.requireMember(stream, user.userId);
    const form = this.pod.getMessage(input.formMessageId);
    if (!form || form.streamId !== streamId) {
      throw new SimHttpError(400, `Message ${input.formMessageId} is not in stream ${streamId}`);
    }
    if (typeof input.formId !== 'string' || !input.formId) throw new SimHttpError(400, 'formId is required');
    const formValues = input.formValues ?? {};
    const ev = this.event(
      'SYMPHONYELEMENTSACTION',
      user,
      'symphonyElementsAction',
      {
        stream: { streamId, streamType: stream.type },
        formMessageId: input.formMessageId,
        formId: input.formId,
        formValues,
      },
      newStreamOrMessageId(),
    );
    // Elements actions go to the form's author (the bot) and the submitter, not to the whole room.
    this.feeds.publish(ev, new Set([form.sender.userId, user.userId]));
    const submission: SimFormSubmission = {
      streamId,
      fromUserId: user.userId,
      formMessageId: input.formMessageId,
      formId: input.formId,
      formValues,
      timestamp: ev.timestamp as number,
    };
    for (const l of this.formListeners) {
      try {
        l(submission);
      } catch (err) {
        this.opts.logger.warn({ err }, 'onFormSubmission listener threw');
      }
    }
  }

  createIm(callerId: number, others: number[]): SimStream {
    const caller = this.pod.requireUser(callerId);
    const { stream, created } = this.pod.getOrCreateIm([callerId, ...others], callerId);
    if (created) {
      const ev = this.event('INSTANTMESSAGECREATED', caller, 'instantMessageCreated', {
        stream: {
          ...v4Stream(stream),
          members: stream.memberIds.map((id) => v4User(this.pod.requireUser(id))),
        },
      });
      this.feeds.publish(ev, stream.memberIds);
    }
    return stream;
  }

  createRoom(
    callerId: number,
    name: string,
    memberIds: number[],
    attrs: Record<string, unknown> = {},
  ): SimStream {
    const caller = this.pod.requireUser(callerId);
    const stream = this.pod.createRoom(name, memberIds, callerId, attrs);
    const ra = stream.roomAttributes ?? {};
    const ev = this.event('ROOMCREATED', caller, 'roomCreated', {
      stream: v4Stream(stream),
      roomProperties: {
        name: stream.name,
        description: ra.description ?? '',
        creatorUser: v4User(caller),
        createdDate: stream.createdAt,
        external: false,
        crossPod: false,
        public: ra.public ?? false,
        copyProtected: ra.copyProtected ?? false,
        readOnly: ra.readOnly ?? false,
        discoverable: ra.discoverable ?? true,
        membersCanInvite: ra.membersCanInvite ?? true,
        keywords: ra.keywords ?? [],
        canViewHistory: ra.viewHistory ?? false,
      },
    });
    this.feeds.publish(ev, stream.memberIds);
    return stream;
  }

  /**
   * Add or remove a room member. USERJOINEDROOM goes to every member, the new one included; USERLEFTROOM to
   * the remaining members and the one who left. A no-op change emits nothing.
   */
  changeMembership(change: 'add' | 'remove', callerId: number, streamId: string, userId: number): void {
    const stream = this.pod.getStream(streamId);
    if (stream?.type !== 'ROOM') throw new SimHttpError(400, `Room ${streamId} not found`);
    const caller = this.pod.requireUser(callerId);
    const user = this.pod.requireUser(userId);
    const changed =
      change === 'add' ? this.pod.addMember(streamId, userId) : this.pod.removeMember(streamId, userId);
    if (!changed) return;
    const [type, key] =
      change === 'add' ? ['USERJOINEDROOM', 'userJoinedRoom'] : ['USERLEFTROOM', 'userLeftRoom'];
    const ev = this.event(type, caller, key, { stream: v4Stream(stream), affectedUser: v4User(user) });
    this.feeds.publish(ev, change === 'add' ? stream.memberIds : [...stream.memberIds, userId]);
  }

  injectEvent(userId: number, raw: unknown): void {
    this.pod.requireUser(userId);
    this.feeds.publish(raw, [userId], false);
  }

  close(): void {
    this.feeds.close();
    this.messageListeners.clear();
    this.formListeners.clear();
  }
}

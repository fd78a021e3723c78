import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { FIRST_USER_ID, newStreamOrMessageId } from '../ids.ts';
import { SimHttpError } from '../sim-error.ts';
import type { CreateUserInput, SimMessage, SimStream, SimUser, StreamType } from '../types.ts';

/** Attachment bytes the simulator keeps at most (oldest dropped first). */
const MAX_STORED_ATTACHMENT_BYTES = 512 * 1024 * 1024;

/** The pod's directory: users, streams (IMs and rooms) and each stream's messages, in memory. */
export class PodState {
  private readonly users = new Map<number, SimUser>();
  private readonly usersByName = new Map<string, SimUser>();
  private readonly streams = new Map<string, SimStream>();
  private readonly imByMembers = new Map<string, string>();
  private readonly messages = new Map<string, SimMessage[]>();
  private readonly messageIndex = new Map<string, SimMessage>();
  /** Attachment bytes by attachment id, oldest first (dropped past `MAX_STORED_ATTACHMENT_BYTES`). */
  private readonly attachmentBytes = new Map<string, Buffer>();
  private storedAttachmentBytes = 0;
  private nextUser = 0;

  createUser(input: CreateUserInput): SimUser {
    const username = input.username?.trim();
    if (!username) throw new SimHttpError(400, 'username is required');
    if (this.usersByName.has(username.toLowerCase())) {
      throw new SimHttpError(409, `A user named ${username} already exists`);
    }
    if (input.publicKeyPem !== undefined) {
      try {
        createPublicKey(input.publicKeyPem);
      } catch {
        throw new SimHttpError(400, 'publicKey must be an RSA public key in PEM (SPKI or PKCS#1)');
      }
    }
    const displayName = input.displayName?.trim() || username;
    const [firstName = displayName, ...rest] = displayName.split(/\s+/);
    const user: SimUser = {
      userId: FIRST_USER_ID + this.nextUser++,
      username,
      displayName,
      firstName,
      lastName: rest.join(' '),
      emailAddress: username.includes('@') ? username : `${username}@baton.local`,
      bot: input.bot ?? false,
      ...(input.publicKeyPem ? { publicKeyPem: input.publicKeyPem } : {}),
    };
    this.users.set(user.userId, user);
    this.usersByName.set(username.toLowerCase(), user);
    return user;
  }

  getUser(userId: number): SimUser | undefined {
    return this.users.get(userId);
  }

  getUserByName(username: string): SimUser | undefined {
    return this.usersByName.get(username.toLowerCase());
  }

  getUserByEmail(email: string): SimUser | undefined {
    const e = email.toLowerCase();
    for (const u of this.users.values()) if (u.emailAddress.toLowerCase() === e) return u;
    return undefined;
  }

  requireUser(userId: number): SimUser {
    const u = this.users.get(userId);
    if (!u) throw new SimHttpError(400, `Unknown user ${userId}`);
    return u;
  }

  listUsers(): SimUser[] {
    return [...this.users.values()];
  }

  /** An IM for this member set: the existing one when there is one (`created: false`). */
  getOrCreateIm(memberIds: number[], createdBy: number): { stream: SimStream; created: boolean } {
    const members = [...new Set(memberIds)].sort((a, b) => a - b);
    for (const m of members) this.requireUser(m);
    if (members.length < 2) throw new SimHttpError(400, 'An IM needs at least two distinct members');
    const key = members.join(',');
    const existing = this.imByMembers.get(key);
    if (existing) return { stream: this.streams.get(existing)!, created: false };
    const stream = this.addStream('IM', members, createdBy);
    this.imByMembers.set(key, stream.streamId);
    return { stream, created: true };
  }

  createRoom(
    name: string,
    memberIds: number[],
    createdBy: number,
    attrs: Record<string, unknown> = {},
  ): SimStream {
    if (!name?.trim()) throw new SimHttpError(400, 'Room name is required');
    const members = [...new Set([createdBy, ...memberIds])];
    for (const m of members) this.requireUser(m);
    const stream = this.addStream('ROOM', members, createdBy, name.trim());
    stream.roomAttributes = { ...attrs, name: name.trim() };
    return stream;
  }

  getStream(streamId: string): SimStream | undefined {
    return this.streams.get(streamId);
  }

  requireStream(streamId: string): SimStream {
    const s = this.streams.get(streamId);
    if (!s) throw new SimHttpError(400, `Stream ${streamId} not found`);
    return s;
  }

  listStreams(memberId?: number): SimStream[] {
    const all = [...this.streams.values()];
    return memberId === undefined ? all : all.filter((s) => s.memberIds.includes(memberId));
  }

  addMember(streamId: string, userId: number): boolean {
    const s = this.requireStream(streamId);
    this.requireUser(userId);
    if (s.memberIds.includes(userId)) return false;
    s.memberIds.push(userId);
    return true;
  }

  removeMember(streamId: string, userId: number): boolean {
    const s = this.requireStream(streamId);
    const i = s.memberIds.indexOf(userId);
    if (i === -1) return false;
    s.memberIds.splice(i, 1);
    return true;
  }

  addMessage(msg: SimMessage): void {
    let list = this.messages.get(msg.streamId);
    if (!list) {
      list = [];
      this.messages.set(msg.streamId, list);
    }
    list.push(msg);
    this.messageIndex.set(msg.messageId, msg);
  }

  /** Messages stored since start (none are ever removed). */
  get messagesCreated(): number {
    return this.messageIndex.size;
  }

  listMessages(streamId: string): SimMessage[] {
    return this.messages.get(streamId) ?? [];
  }

  /**
   * The agent's message list (`GET /agent/v4/stream/{sid}/message`): messages with `since <= timestamp <=
   * until`, oldest first (ties in the order they were stored), `skip` of them skipped, at most `limit`.
   * `skip` is an offset from `since`; the spec's pagination (since = last timestamp seen, skip = how many
   * with exactly that timestamp were seen) reads every message exactly once.
   */
  pageMessages(
    streamId: string,
    q: { since: number; until?: number; skip: number; limit: number },
  ): SimMessage[] {
    const until = q.until ?? Number.POSITIVE_INFINITY;
    return this.listMessages(streamId)
      .filter((m) => m.timestamp >= q.since && m.timestamp <= until)
      .sort((a, b) => a.timestamp - b.timestamp)
      .slice(q.skip, q.skip + q.limit);
  }

  /**
   * Keeps an attachment's bytes for the download route. The simulator lives in memory for hours under `baton
   * dev`: past 512 MiB in all, the oldest attachments' bytes are dropped (their download then fails with 400).
   */
  storeAttachment(attachmentId: string, bytes: Buffer): void {
    this.attachmentBytes.set(attachmentId, bytes);
    this.storedAttachmentBytes += bytes.length;
    for (const [id, old] of this.attachmentBytes) {
      if (this.storedAttachmentBytes <= MAX_STORED_ATTACHMENT_BYTES || id === attachmentId) break;
      this.attachmentBytes.delete(id);
      this.storedAttachmentBytes -= old.length;
    }
  }

  getAttachment(attachmentId: string): Buffer | undefined {
    return this.attachmentBytes.get(attachmentId);
  }

  getMessage(messageId: string): SimMessage | undefined {
    return this.messageIndex.get(messageId);
  }

  /**
   * Message update: stores `next` (a new message id, `replacing` the previous version) and marks `previous` as
   * `replacedBy` it. Both versions stay stored (and listed), each with its marker.
   */
  replaceMessage(previous: SimMessage, next: SimMessage): void {
    this.addMessage(next);
    previous.replacedBy = next.messageId;
  }

  private addStream(type: StreamType, memberIds: number[], createdBy: number, name?: string): SimStream {
    const stream: SimStream = {
      streamId: newStreamOrMessageId(),
      type,
      ...(name !== undefined ? { name } : {}),
      memberIds: [...memberIds],
      createdByUserId: createdBy,
      createdAt: Date.now(),
      active: true,
    };
    this.streams.set(stream.streamId, stream);
    return stream;
  }
}

/** RSA 2048 key pair in PEM (PKCS#8 private, SPKI public). */
export function generateRsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

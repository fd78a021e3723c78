import {
  type Attachment,
  type AttachmentLimits,
  checkAttachments,
  checkMessageSize,
  DEFAULT_ATTACHMENT_LIMITS,
} from '@baton/shared/symphony-types';
import type { ReplyContent, ReplyExtras, ReplyFile, ReplyOptions } from './context.ts';
import { toOutgoing } from './render.ts';
import type { OutgoingMessage } from './runtime-contract.ts';

/**
 * `ctx.reply(content, extras)`'s second argument is EntityJSON (as before) or `{ attachments, data? }`. Every
 * EntityJSON value is an entity *object*, so an `attachments` key holding an array can only be the options.
 */
export function isReplyOptions(extras: ReplyExtras | undefined): extras is ReplyOptions {
  return extras !== undefined && Array.isArray((extras as { attachments?: unknown }).attachments);
}

/** A reply file → the client's attachment (a string is UTF-8 text). */
function toAttachment(file: ReplyFile): Attachment {
  const content = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : file.data;
  return {
    filename: file.name,
    content,
    ...(file.contentType !== undefined ? { contentType: file.contentType } : {}),
  };
}

/**
 * Reply content and extras → the message to post. The message (MessageML + data: 1.5 MB) and its files are
 * checked against Symphony's limits here, before the runtime marks the reply as started: a refused reply
 * (`MessageTooLargeError`, `AttachmentLimitError`) leaves no trace and posts nothing.
 */
export function toOutgoingReply(
  content: ReplyContent,
  extras: ReplyExtras | undefined,
  limits: Readonly<AttachmentLimits> = DEFAULT_ATTACHMENT_LIMITS,
): OutgoingMessage {
  if (!isReplyOptions(extras)) return checkedSize(toOutgoing(content, extras));
  const out = checkedSize(toOutgoing(content, extras.data));
  if (extras.attachments.length === 0) return out;
  const attachments = extras.attachments.map(toAttachment);
  checkAttachments(attachments, limits);
  return { ...out, attachments };
}

/** Throws `MessageTooLargeError` when the message and its data are over Symphony's 1.5 MB. */
function checkedSize(out: OutgoingMessage): OutgoingMessage {
  checkMessageSize(out.message, out.data);
  return out;
}

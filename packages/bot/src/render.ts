import { escapeMessageML, Fragment, toMessage } from '@baton/shared/messageml';
import type { ReplyContent } from './context.ts';
import type { OutgoingMessage } from './runtime-contract.ts';

/** Reply content → the message to post. Plain text is escaped (line breaks kept); a Fragment is trusted markup. */
export function toOutgoing(content: ReplyContent, data?: Record<string, unknown>): OutgoingMessage {
  const message =
    content instanceof Fragment
      ? toMessage(content)
      : `<messageML>${escapeMessageML(content).replace(/\r?\n/g, '<br/>')}</messageML>`;
  return data === undefined ? { message } : { message, data };
}

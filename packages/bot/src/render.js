import { escapeMessageML, Fragment, toMessage } from '@baton/shared/messageml';
/** Reply content → the message to post. Plain text is escaped (line breaks kept); a Fragment is trusted markup. */
export function toOutgoing(content, data) {
  const message =
    content instanceof Fragment
      ? toMessage(content)
      : `<messageML>${escapeMessageML(content).replace(/\r?\n/g, '<br/>')}</messageML>`;
  return data === undefined ? { message } : { message, data };
}
//# sourceMappingURL=render.js.map

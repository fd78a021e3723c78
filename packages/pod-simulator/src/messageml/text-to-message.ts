import type { PodState } from '../pod/pod-state.ts';
import type { ConvertedMessage } from './convert-messageml.ts';
import { escapeText } from './markup-tree.ts';

/**
 * A message typed in a Symphony client: plain text where `@username` mentions a user. Clients number their
 * entities "0", "1"… and omit `version`, and wrap the text in a `wysiwyg` PresentationML div.
 */
export function textToMessage(text: string, pod: PodState): ConvertedMessage {
  const data: Record<string, unknown> = {};
  let html = '';
  let plain = '';
  let n = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, li) => {
    if (li > 0) html += '<br/>';
    // Split on whitespace, keeping it, so spacing survives.
    for (const token of line.split(/(\s+)/)) {
      const m = /^@([\w.@-]+?)([.,:;!?)]*)$/.exec(token);
      const user = m ? pod.getUserByName(m[1]!) : undefined;
      if (m && user) {
        const key = String(n++);
        data[key] = {
          id: [{ type: 'com.symphony.user.userId', value: String(user.userId) }],
          type: 'com.symphony.user.mention',
        };
        html += `<span class="entity" data-entity-id="${key}">@${escapeText(user.displayName)}</span>${escapeText(m[2] ?? '')}`;
        plain += `@${user.displayName}${m[2] ?? ''}`;
      } else {
        html += escapeText(token);
        plain += token;
      }
    }
  });
  return {
    presentationML: `<div data-format="PresentationML" data-version="2.0" class="wysiwyg"><p>${html}</p></div>`,
    data,
    text: plain.trim(),
  };
}

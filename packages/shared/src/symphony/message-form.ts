import type { SendMessageRequest } from './types.ts';

/**
 * The multipart body of `POST /agent/v4/stream/{sid}/message/create`: parts `message`, `data` (EntityJSON
 * string), `version` ("2.0" unless given), `silent` when set, and one `attachment` part per file.
 */
export function buildMessageForm(msg: SendMessageRequest): FormData {
  const form = new FormData();
  form.append('message', msg.message);
  if (msg.data !== undefined) {
    form.append('data', typeof msg.data === 'string' ? msg.data : JSON.stringify(msg.data));
  }
  form.append('version', msg.version ?? '2.0');
  if (msg.silent !== undefined) form.append('silent', String(msg.silent));
  for (const file of msg.attachments ?? []) {
    const bytes = new Uint8Array(file.content.buffer, file.content.byteOffset, file.content.byteLength);
    const blob = new Blob([bytes], { type: file.contentType ?? 'application/octet-stream' });
    form.append('attachment', blob, file.filename);
  }
  return form;
}

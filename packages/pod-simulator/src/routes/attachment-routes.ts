import { toUrlSafeId } from '@baton/shared/ids';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimCore } from '../sim-core.ts';
import { badRequest, SimHttpError } from '../sim-error.ts';
import type { SimAttachmentUpload } from '../types.ts';
import { requireAgentSession } from './session-guard.ts';

/** What `POST /_sim/streams/{id}/messages` carries: who, the text, and any files. */
export interface ControlMessage {
  fromUserId: unknown;
  text: unknown;
  attachments: SimAttachmentUpload[];
}

/**
 * The body of `POST /_sim/streams/{id}/messages`: JSON `{ fromUserId, text, attachments?: [{ name,
 * contentBase64 }] }`, or multipart (what the chat page sends) with fields `fromUserId`, `text` and one
 * `attachment` file part per file.
 */
export async function readControlMessage(req: FastifyRequest): Promise<ControlMessage> {
  if (!req.isMultipart()) {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const raw = b.attachments ?? [];
    if (!Array.isArray(raw)) throw badRequest('attachments must be an array of { name, contentBase64 }');
    const attachments = raw.map((a: unknown) => {
      const { name, contentBase64 } = (a ?? {}) as Record<string, unknown>;
      if (typeof name !== 'string' || typeof contentBase64 !== 'string') {
        throw badRequest('each attachment needs a name and contentBase64 (strings)');
      }
      return { name, content: Buffer.from(contentBase64, 'base64') };
    });
    return { fromUserId: b.fromUserId, text: b.text, attachments };
  }
  const out: ControlMessage = { fromUserId: undefined, text: undefined, attachments: [] };
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.fieldname === 'attachment') out.attachments.push({ name: part.filename, content });
      } else if (part.fieldname === 'fromUserId') out.fromUserId = String(part.value);
      else if (part.fieldname === 'text') out.text = String(part.value);
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw new SimHttpError(400, 'Attachments exceed the allowed size');
    }
    throw badRequest(`Malformed multipart body: ${(err as Error).message}`);
  }
  return out;
}

/** A file name safe in a `Content-Disposition` header (RFC 6266: ASCII fallback + UTF-8 `filename*`). */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The attachment download: the agent's `GET /agent/v1/stream/{sid}/attachment?fileId=…&messageId=…` (the file
 * as base64 text, `application/octet-stream`, as the agent sends it), and the chat page's
 * `GET /_sim/streams/{sid}/messages/{mid}/attachments/{fileId}` (the raw bytes, as a download).
 */
export function registerAttachmentRoutes(app: FastifyInstance, core: SimCore): void {
  app.get('/agent/v1/stream/:sid/attachment', async (req, reply) => {
    const uid = requireAgentSession(core, req);
    const sid = toUrlSafeId((req.params as { sid: string }).sid);
    const q = req.query as { fileId?: string; messageId?: string };
    if (!q.fileId) throw badRequest('fileId is required');
    if (!q.messageId) throw badRequest('messageId is required');
    const bytes = core.readAttachment(uid, sid, toUrlSafeId(q.messageId), q.fileId);
    return reply.type('application/octet-stream').send(bytes.toString('base64'));
  });

  app.get('/_sim/streams/:sid/messages/:mid/attachments/:fileId', async (req, reply) => {
    const p = req.params as { sid: string; mid: string; fileId: string };
    const sid = toUrlSafeId(p.sid);
    const message = core.pod.getMessage(toUrlSafeId(p.mid));
    const info = message?.streamId === sid ? message.attachments?.find((a) => a.id === p.fileId) : undefined;
    const bytes = info ? core.pod.getAttachment(info.id) : undefined;
    if (!info || !bytes) throw new SimHttpError(404, `No attachment ${p.fileId} in message ${p.mid}`);
    return reply
      .type('application/octet-stream')
      .header('content-disposition', contentDisposition(info.name))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(bytes);
  });
}

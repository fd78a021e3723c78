import { toUrlSafeId } from '@baton/shared/ids';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { v4Message } from '../pod/wire-shapes.ts';
import {
  type ApiMessageBody,
  MAX_ATTACHMENT_TOTAL_BYTES,
  MAX_MESSAGE_BYTES,
  payloadTooLarge,
  type SimCore,
} from '../sim-core.ts';
import { badRequest, SimHttpError } from '../sim-error.ts';
import { requireAgentSession } from './session-guard.ts';

export interface MessageForm extends ApiMessageBody {
  version?: string;
  /** The `attachment` parts (`name` their file name), with their bytes (kept for the attachment download). */
  attachments: { name: string; size: number; bytes: Buffer }[];
}

/** Read the multipart parts (`message`, `data`, `version`, `attachment`, `preview`, `silent`). */
export async function readForm(req: FastifyRequest): Promise<MessageForm> {
  const form: MessageForm = { attachments: [] };
  if (!req.isMultipart()) {
    // Lenient extra: a JSON body {message, data} works too.
    const body = (req.body ?? {}) as Record<string, unknown>;
    const data = body.data;
    return {
      ...(typeof body.message === 'string' ? { message: body.message } : {}),
      ...(typeof data === 'string'
        ? { data }
        : data && typeof data === 'object'
          ? { data: JSON.stringify(data) }
          : {}),
      attachments: [],
    };
  }
  let total = 0;
  let attachmentBytes = 0;
  for await (const part of req.parts()) {
    let value: string;
    if (part.type === 'file') {
      const buf = await part.toBuffer();
      if (part.fieldname === 'attachment' || part.fieldname === 'preview') {
        if (part.fieldname === 'attachment') {
          form.attachments.push({ name: part.filename, size: buf.length, bytes: buf });
        }
        attachmentBytes += buf.length;
        if (attachmentBytes > MAX_ATTACHMENT_TOTAL_BYTES) {
          throw new SimHttpError(400, 'Attachments exceed the maximum total size of 30 MB');
        }
        continue;
      }
      value = buf.toString('utf8');
    } else {
      value = String(part.value);
    }
    if (part.fieldname === 'message' || part.fieldname === 'data') {
      total += Buffer.byteLength(value);
      if (total > MAX_MESSAGE_BYTES) throw payloadTooLarge();
    }
    if (part.fieldname === 'message') form.message = value;
    else if (part.fieldname === 'data') form.data = value;
    else if (part.fieldname === 'version') form.version = value;
  }
  return form;
}

/**
 * The multipart body of a message create or update, with the agent's answers to a bad one: 400 for attachments
 * over the limits, a malformed body or a bad `version`; 400 `payloadTooLarge` (a V2Error) for a message over the
 * size limit.
 */
export async function readMessageForm(req: FastifyRequest): Promise<MessageForm> {
  let form: MessageForm;
  try {
    form = await readForm(req);
  } catch (err) {
    if (err instanceof SimHttpError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw new SimHttpError(400, 'Attachments exceed the allowed size');
    }
    if (code === 'FST_FIELDS_LIMIT' || (err as Error).message?.includes('fieldSize')) throw payloadTooLarge();
    throw badRequest(`Malformed multipart body: ${(err as Error).message}`);
  }
  if (form.version !== undefined && !/^\d+\.\d+$/.test(form.version)) {
    throw badRequest(`Invalid version "${form.version}": expected "major.minor"`);
  }
  return form;
}

/** Message create and list (agent v4). */
export function registerMessageRoutes(app: FastifyInstance, core: SimCore): void {
  app.post('/agent/v4/stream/:sid/message/create', async (req) => {
    const uid = requireAgentSession(core, req);
    const sid = toUrlSafeId((req.params as { sid: string }).sid);
    return core.createMessageFromApi(uid, sid, await readMessageForm(req));
  });

  app.get('/agent/v4/stream/:sid/message', async (req) => {
    const uid = requireAgentSession(core, req);
    const sid = toUrlSafeId((req.params as { sid: string }).sid);
    const q = req.query as { since?: string; until?: string; limit?: string; skip?: string };
    const since = Number(q.since);
    if (q.since === undefined || !Number.isFinite(since)) throw badRequest('since is required (epoch ms)');
    const until = q.until === undefined ? undefined : Number(q.until);
    if (until !== undefined && !Number.isFinite(until)) throw badRequest('until must be epoch ms');
    const limitN = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limitN) || limitN < 0 || limitN > 500)
      throw badRequest('limit must be between 0 and 500');
    const skip = q.skip === undefined ? 0 : Number(q.skip);
    if (!Number.isInteger(skip) || skip < 0) throw badRequest('skip must be a non-negative integer');
    const stream = core.pod.getStream(sid);
    if (!stream) throw badRequest(`Stream ${sid} not found`);
    core.requireMember(stream, uid);
    // Oldest first from `since`, like the agent: there is no newest-first order (see PodState.pageMessages).
    return core.pod
      .pageMessages(sid, { since, ...(until !== undefined ? { until } : {}), skip, limit: limitN || 50 })
      .map((m) => v4Message(m, stream, !m.sender.bot));
  });
}

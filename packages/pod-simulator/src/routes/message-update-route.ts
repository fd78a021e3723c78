import { toUrlSafeId } from '@baton/shared/ids';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { payloadTooLarge, type SimCore } from '../sim-core.ts';
import { badRequest, SimHttpError } from '../sim-error.ts';
import { type MessageForm, readForm } from './message-routes.ts';
import { requireAgentSession } from './session-guard.ts';

/** The multipart body of an update (the same parts as create), with create's errors for a bad body. */
async function readUpdateForm(req: FastifyRequest): Promise<MessageForm> {
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

/**
 * `POST /agent/v4/stream/{sid}/message/{mid}/update` (agent v4, "Update an existing message"): multipart like
 * create; 200 with the new version's `V4Message` (a new `messageId`, `replacing` = mid, `initialMessageId` and
 * `initialTimestamp` of the first version). The datafeeds get a MESSAGESENT of the new version; the replaced one
 * is marked `replacedBy`. Errors: see `SimCore.updateMessageFromApi`.
 */
export function registerMessageUpdateRoute(app: FastifyInstance, core: SimCore): void {
  app.post('/agent/v4/stream/:sid/message/:mid/update', async (req) => {
    const uid = requireAgentSession(core, req);
    const params = req.params as { sid: string; mid: string };
    const form = await readUpdateForm(req);
    return core.updateMessageFromApi(
      uid,
      toUrlSafeId(params.sid),
      toUrlSafeId(params.mid),
      form.message,
      form.data,
      form.attachments.map((a) => ({ name: a.filename, size: a.size, bytes: a.bytes })),
    );
  });
}

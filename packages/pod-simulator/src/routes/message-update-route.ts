import { toUrlSafeId } from '@baton/shared/ids';
import type { FastifyInstance } from 'fastify';
import type { SimCore } from '../sim-core.ts';
import { readMessageForm } from './message-routes.ts';
import { requireAgentSession } from './session-guard.ts';

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
    const form = await readMessageForm(req);
    return core.updateMessageFromApi(uid, toUrlSafeId(params.sid), toUrlSafeId(params.mid), form);
  });
}

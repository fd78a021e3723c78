import type { AttachmentLimits, OboUser, V4MessageOut } from '@baton/shared/symphony-types';
import type { OboContext } from './context.ts';
import { OboNotConfiguredError } from './errors.ts';
import { toOutgoingReply } from './reply-files.ts';
import type { RuntimeServices } from './runtime-contract.ts';

/** How long the mark of an on-behalf-of send is kept (a retry within this time does not post again). */
export const OBO_SENT_TTL_SEC = 2 * 24 * 3600;

/** State key of the n-th `ctx.obo(…).send` of an event (or task). */
export const oboSentKey = (opKey: string, n: number): string => `obo-sent:${opKey}:${n}`;

/**
 * `ctx.obo` of one dispatch: a user's on-behalf-of client, narrowed to what a handler needs, with sends made
 * idempotent per event (rank of the send within the event, over every user): the first try's message is kept in
 * the state store once posted, and a retry returns it instead of posting again. A crash between the post and
 * that mark can still post twice (unlike `ctx.reply`, there is no stream scan for OBO posts).
 */
export function createOboAccess(
  services: RuntimeServices,
  opKey: string,
  limits: Readonly<AttachmentLimits>,
): (user: { userId: number } | { username: string }) => OboContext {
  let sends = 0;
  return (user) => {
    const clients = services.obo;
    if (!clients) throw new OboNotConfiguredError();
    const who: OboUser = 'userId' in user ? { userId: user.userId } : { username: user.username };
    const client = clients.forUser(who);
    return {
      user: client.user,
      async send(streamId, content, extras) {
        const msg = toOutgoingReply(content, extras, limits);
        const key = oboSentKey(opKey, ++sends);
        const done = await services.state.get<V4MessageOut>(key);
        if (done) return done;
        const sent = await client.sendMessage(streamId, msg);
        await services.state.set(key, sent, OBO_SENT_TTL_SEC);
        return sent;
      },
      listStreams: (filter, page, opts) => client.listStreams(filter, page, opts),
      createIm: (userIds, opts) => client.createIm(userIds, opts),
      createRoom: (attrs, opts) => client.createRoom(attrs, opts),
      getSessionInfo: (opts) => client.getSessionInfo(opts),
    };
  };
}

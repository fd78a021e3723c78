import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Logger,
  parseCommandInput,
  parseEvent,
  type SymphonyClient,
  tokenizeMessage,
} from '@baton/shared';
import { parseBenchWork, replyText } from '../bench-command.ts';

/**
 * The baselines' event handler, the same work as the Baton bench bot: validate the event, skip the bot's own
 * messages, tokenize, match `/work <tag> <ms>` when the bot is mentioned (or in an IM), wait `ms`, reply.
 */
export function createBenchDispatch(deps: { client: SymphonyClient; botUserId: number; logger: Logger }) {
  const { client, botUserId, logger } = deps;
  return async function handle(raw: unknown): Promise<void> {
    const parsed = parseEvent(raw);
    if (!parsed.ok || parsed.event.type !== 'MESSAGESENT') return;
    const msg = parsed.event.payload.messageSent.message;
    if (msg.user.userId === botUserId) return;
    const input = parseCommandInput(tokenizeMessage(msg.message, msg.data), botUserId);
    const isIm = (msg.stream.streamType ?? '').toUpperCase() === 'IM';
    if (!input.command || !(input.mentionsBot || isIm)) return;
    const work = parseBenchWork(input.command.slash, input.command.args);
    if (!work) return;
    await sleep(work.ms);
    try {
      await client.sendMessage(msg.stream.streamId, {
        message: `<messageML>${replyText(work.tag)}</messageML>`,
      });
    } catch (err) {
      // BDK listeners log handler failures and the loop moves on.
      logger.warn({ err, streamId: msg.stream.streamId }, 'reply failed');
    }
  };
}

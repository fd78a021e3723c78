import { parseCommandInput, tokenizeMessage } from '@baton/shared/messageml';
/** A message is meant for the bot when it mentions the bot, or (unless `requireMentionInIm`) came in an IM. */
export function isAddressed(mentionsBot, streamType, requireMentionInIm) {
  return mentionsBot || ((streamType ?? '').toUpperCase() === 'IM' && !requireMentionInIm);
}
/** Whether a MESSAGESENT event is addressed to the bot `botUserId`. */
export function messageAddressesBot(event, botUserId, requireMentionInIm) {
  const msg = event.payload.messageSent.message;
  const input = parseCommandInput(tokenizeMessage(msg.message, msg.data), botUserId);
  return isAddressed(input.mentionsBot, msg.stream.streamType, requireMentionInIm);
}
//# sourceMappingURL=is-addressed.js.map

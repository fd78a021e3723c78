// EntityJSON entries (a message's `data`) as Symphony's message converter writes them, for the tests that read
// them: a mention, a hashtag, a cashtag and an emoji.

/** A mention of `userId` (a string as the converter writes it, or a number); client-style ids have no version. */
export const mentionEntity = (userId: string | number, withVersion = true) => ({
  type: 'com.symphony.user.mention',
  ...(withVersion ? { version: '1.0' } : {}),
  id: [{ type: 'com.symphony.user.userId', value: userId }],
});

/** The hashtag `#<value>`. */
export const hashtagEntity = (value: string) => ({
  type: 'org.symphonyoss.taxonomy',
  version: '1.0',
  id: [{ type: 'org.symphonyoss.taxonomy.hashtag', value }],
});

/** The cashtag `$<value>`. */
export const cashtagEntity = (value: string) => ({
  type: 'org.symphonyoss.fin.security',
  version: '1.0',
  id: [{ type: 'org.symphonyoss.fin.security.id.ticker', value }],
});

/** An emoji (😀): neither a mention nor a tag. */
export const EMOJI_ENTITY = {
  type: 'com.symphony.emoji',
  version: '1.0',
  data: { annotation: 'grinning', unicode: '😀' },
};

import { createTestBot, type TestBotOptions } from '@baton/bot/testkit';
import { describe, expect, it } from 'vitest';
import { createReferenceBot } from '../src/index.ts';

// `/announce <room> <text>`: posts in one of the requester's rooms as the requester (ctx.obo), never as the bot.

function start(opts: TestBotOptions = {}) {
  const t = createTestBot(createReferenceBot({ marketDataUrl: 'http://127.0.0.1:9' }), opts);
  const alice = t.users.alice.userId;
  t.obo?.setStreams(alice, [
    { id: 'room-desk', streamType: { type: 'ROOM' }, roomAttributes: { name: 'Q3 desk' } },
    { id: 'room-general', streamType: { type: 'ROOM' }, roomAttributes: { name: 'general' } },
  ]);
  return t;
}

describe('/announce', () => {
  it('posts the text, escaped, in the named room as the requester and confirms', async () => {
    const t = start();
    const [reply] = await t.send('@bot /announce "q3 DESK" Numbers <are> out');
    expect(t.obo?.sent).toEqual([
      expect.objectContaining({
        userId: t.users.alice.userId,
        streamId: 'room-desk',
        text: 'Numbers <are> out',
      }),
    ]);
    expect(t.obo?.sent[0]?.message).toContain('Numbers &lt;are&gt; out');
    expect(reply?.text).toBe('Posted in "Q3 desk" as you.');
    expect(t.replies).toHaveLength(1); // the bot posted only its confirmation
  });

  it('a room the requester is not in: says so, posts nothing', async () => {
    const t = start();
    const [reply] = await t.send('@bot /announce elsewhere hi');
    expect(reply?.text).toBe('You are not in a room named "elsewhere".');
    expect(t.obo?.sent).toEqual([]);
  });

  it('the app not installed for the requester, or no app at all: a polite answer', async () => {
    const notInstalled = start({ obo: { installedFor: [] } });
    expect((await notInstalled.send('@bot /announce general hi'))[0]?.text).toBe(
      'I cannot post for you: install the announcements app first.',
    );
    const noApp = start({ obo: false });
    expect((await noApp.send('@bot /announce general hi'))[0]?.text).toBe(
      'Announcements are off: this bot has no on-behalf-of app configured.',
    );
  });
});

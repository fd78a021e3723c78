import { describe, expect, it } from 'vitest';
import { createBot } from '../src/index.ts';
import { createTestBot } from '../src/testkit/index.ts';

/** `/post <text>` posts the text in `general` as the requester; `/mine` lists their rooms; `/dm-bob` opens an IM. */
function oboBot() {
  const bot = createBot();
  bot.command('/post {text:text}', {
    description: 'posts as you',
    handler: async (ctx) => {
      try {
        const sent = await ctx.obo(ctx.user).send(ctx.streamId, ctx.args.text);
        await ctx.reply(`posted ${sent.messageId}`);
      } catch (err) {
        await ctx.reply(`refused: ${(err as { code?: string }).code}`);
      }
    },
  });
  bot.command('/mine', {
    description: 'lists your rooms',
    handler: async (ctx) => {
      const rooms = await ctx
        .obo({ username: ctx.user.username ?? '' })
        .listStreams({ streamTypes: ['ROOM'] });
      await ctx.reply(rooms.map((r) => r.roomAttributes?.name).join(', ') || 'none');
    },
  });
  bot.command('/fail-after-post {text:text}', {
    description: 'posts, then fails on the first attempt',
    handler: async (ctx) => {
      await ctx.obo(ctx.user).send(ctx.streamId, ctx.args.text);
      if (ctx.meta?.attempt === 1) throw new Error('boom after the OBO post');
      await ctx.reply('done');
    },
  });
  return bot;
}

describe('ctx.obo(user)', () => {
  it('sends as the user: recorded as the user’s, text escaped', async () => {
    const t = createTestBot(oboBot());
    const [reply] = await t.send('@bot /post <b>hello</b> & bye', { from: t.users.bob });
    expect(t.obo?.sent).toHaveLength(1);
    const [sent] = t.obo?.sent ?? [];
    expect(sent).toMatchObject({
      userId: t.users.bob.userId,
      streamId: t.general.streamId,
      text: '<b>hello</b> & bye',
    });
    expect(sent?.message).toContain('&lt;b&gt;hello&lt;/b&gt; &amp; bye');
    expect(reply?.text).toBe(`posted ${sent?.messageId}`);
    // The bot itself posted only its own reply.
    expect(t.replies).toHaveLength(1);
  });

  it('lists the user’s streams through their session', async () => {
    const t = createTestBot(oboBot());
    t.obo?.setStreams(t.users.alice.userId, [
      { id: 'r1', streamType: { type: 'ROOM' }, roomAttributes: { name: 'Desk' } },
    ]);
    const [reply] = await t.send('@bot /mine');
    expect(reply?.text).toBe('Desk');
    expect(t.obo?.calls).toEqual([
      {
        userId: t.users.alice.userId,
        method: 'listStreams',
        args: [{ streamTypes: ['ROOM'] }, undefined, undefined],
      },
    ]);
  });

  it('a user who has not installed the app is refused with SYMPHONY_OBO_USER_REJECTED', async () => {
    const t = createTestBot(oboBot(), { obo: { installedFor: [] } });
    expect((await t.send('@bot /post hi'))[0]?.text).toBe('refused: SYMPHONY_OBO_USER_REJECTED');
    t.obo?.install(t.users.alice.userId);
    expect((await t.send('@bot /post hi'))[0]?.text).toMatch(/^posted /);
    t.obo?.uninstall(t.users.alice.userId);
    expect((await t.send('@bot /post again'))[0]?.text).toBe('refused: SYMPHONY_OBO_USER_REJECTED');
    expect(t.obo?.sent.map((m) => m.text)).toEqual(['hi']);
  });

  it('without an app, ctx.obo throws OBO_NOT_CONFIGURED', async () => {
    const t = createTestBot(oboBot(), { obo: false });
    expect((await t.send('@bot /post hi'))[0]?.text).toBe('refused: OBO_NOT_CONFIGURED');
    expect(t.obo).toBeUndefined();
  });

  it('a retried event does not post on behalf of the user twice', async () => {
    const t = createTestBot(oboBot());
    await expect(t.send('@bot /fail-after-post once')).rejects.toThrow('boom after the OBO post');
    const event = t.events.at(-1);
    if (!event) throw new Error('no event');
    const replies = await t.emit(event); // the runtime's retry (attempt 2)
    expect(replies.map((r) => r.text)).toEqual(['done']);
    expect(t.obo?.sent.map((m) => m.text)).toEqual(['once']);
  });
});

import { createReferenceBot } from '@baton/reference-bot';
import { type BatonEvent, parseEntities } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { createBot } from '../src/index.ts';
import { createTestBot } from '../src/testkit/index.ts';

describe('the test kit', () => {
  it('the three-line command test from docs/bot-framework.md', async () => {
    const t = createTestBot(createReferenceBot({ marketDataUrl: 'http://127.0.0.1:9' }));
    const [reply] = await t.send('@bot /echo hello <world>');
    expect(reply?.text).toBe('hello <world>');
  });

  it('builds MESSAGESENT events as the pod delivers them: PresentationML + EntityJSON mentions and tags', async () => {
    const seen: BatonEvent[] = [];
    const t = createTestBot(
      createBot().on('MESSAGESENT', (ctx) => {
        seen.push(ctx.event);
      }),
    );
    await t.send('@bot hi @bob. about #rates and $AAPL & <stuff> @nobody\nline two', { from: t.users.carol });
    const event = seen[0];
    if (event?.type !== 'MESSAGESENT') throw new Error('no MESSAGESENT');
    const msg = event.payload.messageSent.message;
    expect(event.initiator.user.userId).toBe(t.users.carol.userId);
    expect(msg.user.userId).toBe(t.users.carol.userId);
    expect(msg.stream).toMatchObject({
      streamId: t.general.streamId,
      streamType: 'ROOM',
      roomName: 'general',
    });
    expect(msg.message).toMatch(/^<div data-format="PresentationML" data-version="2.0"/);
    expect(msg.message).toContain('<span class="entity" data-entity-id="0">@Baton Bot</span>');
    expect(msg.message).toContain('&amp; &lt;stuff&gt;');
    const entities = parseEntities(msg.data);
    expect(JSON.stringify(entities)).toContain(String(t.users.bob.userId));
    expect(JSON.parse(msg.data ?? '{}')).toMatchObject({
      '0': { type: 'com.symphony.user.mention', id: [{ value: String(t.botUser.userId) }] },
      '1': { type: 'com.symphony.user.mention', id: [{ value: String(t.users.bob.userId) }] },
      '2': { type: 'org.symphonyoss.taxonomy', id: [{ value: 'rates' }] },
      '3': { type: 'org.symphonyoss.fin.security', id: [{ value: 'AAPL' }] },
    });
    expect(msg.message).toContain('<span class="entity" data-entity-id="1">@Bob Chen</span>. about');
    expect(msg.message).toContain('@nobody<br/>line two');
  });

  it('records admin calls on the fake client and exposes state', async () => {
    const bot = createBot().command('/mk {name}', {
      description: 'make',
      handler: async (ctx) => {
        const room = await ctx.client.createRoom({ name: ctx.args.name });
        await ctx.client.addMember(room.roomSystemInfo.id, ctx.user.userId);
        await ctx.state.set('last-room', room.roomSystemInfo.id);
      },
    });
    const t = createTestBot(bot);
    await t.send('@bot /mk desk');
    const [[attrs]] = t.client.callsOf('createRoom') as [[{ name: string }]];
    expect(attrs.name).toBe('desk');
    const roomId = await t.state.get<string>('last-room');
    expect(t.client.rooms.get(roomId!)?.members).toEqual([t.botUser.userId, t.users.alice.userId]);
    expect(t.client.callsOf('addMember')).toEqual([[roomId, t.users.alice.userId]]);
  });

  it('finds the last posted form and submits it in its stream', async () => {
    const bot = createBot()
      .command('/ask', {
        description: 'ask',
        handler: async (ctx) => {
          const { form, button } = ctx.messageML;
          await ctx.reply(form('q', [button({ name: 'yes', label: 'Yes' })]));
        },
      })
      .form('q', async (ctx) => {
        await ctx.reply(`${ctx.user.displayName} said ${ctx.action} on ${ctx.formMessageId}`);
      });
    const t = createTestBot(bot);
    const im = t.im(t.users.bob);
    await t.send('/ask', { stream: im, from: t.users.bob });
    const form = t.lastForm('q');
    expect(form?.streamId).toBe(im.streamId);
    const [reply] = await t.submitForm('q', { action: 'yes' }, { from: t.users.bob });
    expect(reply).toMatchObject({
      streamId: im.streamId,
      text: `Bob Chen said yes on ${form?.formMessageId}`,
    });
  });

  it('runScheduled runs every pending task in due order and moves the clock', async () => {
    const bot = createBot()
      .command('/in {s:int} {text:text}', {
        description: 'later',
        handler: async (ctx) => {
          await ctx.schedule(ctx.args.s * 1000, 'say', ctx.args.text);
        },
      })
      .task('say', async (ctx) => {
        await ctx.reply(String(ctx.data));
      });
    const t = createTestBot(bot);
    const start = t.clock.now();
    await t.send('@bot /in 30 second');
    await t.send('@bot /in 10 first');
    expect((await t.runScheduled()).map((r) => r.text)).toEqual(['first', 'second']);
    expect(t.clock.now()).toBe(start + 30_000);
  });

  it('emits join and IM-created events with the right initiator', async () => {
    const seen: string[] = [];
    const bot = createBot()
      .on('USERJOINEDROOM', (ctx) => {
        seen.push(`join ${ctx.user?.userId} ${ctx.event.payload.userJoinedRoom.affectedUser.userId}`);
      })
      .on('INSTANTMESSAGECREATED', (ctx) => {
        seen.push(`im ${ctx.user?.userId} ${ctx.streamId}`);
      });
    const t = createTestBot(bot);
    await t.userJoins(t.users.bob, { by: t.users.alice });
    await t.openIm(t.users.carol);
    expect(seen).toEqual([
      `join ${t.users.alice.userId} ${t.users.bob.userId}`,
      `im ${t.users.carol.userId} ${t.im(t.users.carol).streamId}`,
    ]);
  });
});

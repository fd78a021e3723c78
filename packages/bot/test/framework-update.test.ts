import { eventKey } from '@baton/shared/events';
import { describe, expect, it } from 'vitest';
import { createBot } from '../src/index.ts';
import { createTestBot } from '../src/testkit/index.ts';

/** A bot whose `/count` posts a counter and updates it twice; `/stale <id>` updates a given message. */
function counterBot() {
  return createBot()
    .command('/count', {
      description: 'posts a counter and updates it',
      handler: async (ctx) => {
        const sent = await ctx.reply('count: 0');
        if (!sent) return;
        const one = await ctx.updateMessage(sent.messageId, 'count: 1');
        await ctx.updateMessage(one.messageId, ctx.messageML`count: <b>2</b>`, { extra: { type: 'x' } });
      },
    })
    .command('/stale {id:string}', {
      description: 'updates a given message',
      handler: async (ctx) => {
        try {
          await ctx.updateMessage(ctx.args.id, 'edited');
        } catch (err) {
          await ctx.reply(`refused: ${(err as { code?: string }).code}`);
        }
      },
    });
}

describe('ctx.updateMessage', () => {
  it('replaces a reply; each update names the latest version and returns the next', async () => {
    const t = createTestBot(counterBot());
    const [reply] = await t.send('@bot /count');
    expect(reply?.text).toBe('count: 0');
    expect(t.updates.map((u) => u.text)).toEqual(['count: 1', 'count: 2']);
    expect(t.updates[0]?.replacing).toBe(reply?.messageId);
    expect(t.updates[1]?.replacing).toBe(t.updates[0]?.messageId);
    expect(t.updates[1]?.message).toBe('<messageML>count: <b>2</b></messageML>');
    expect(t.updates[1]?.data).toEqual({ extra: { type: 'x' } });
    expect(t.latest(reply?.messageId ?? '')?.text).toBe('count: 2');
  });

  it('is idempotent per event: a retried event updates nothing again', async () => {
    const t = createTestBot(counterBot());
    await t.send('@bot /count');
    const event = t.events.at(-1);
    if (!event) throw new Error('no event');
    await t.emit(event);
    expect(t.updates).toHaveLength(2);
    expect(t.replies).toHaveLength(1);
  });

  it('refuses a replaced version and a message the bot did not post, with code SYMPHONY_UPDATE_REFUSED', async () => {
    const t = createTestBot(counterBot());
    const [reply] = await t.send('@bot /count');
    const [stale] = await t.send(`@bot /stale ${reply?.messageId}`);
    expect(stale?.text).toBe('refused: SYMPHONY_UPDATE_REFUSED');
    const [unknown] = await t.send('@bot /stale nope');
    expect(unknown?.text).toBe('refused: SYMPHONY_UPDATE_REFUSED');
    expect(t.updates).toHaveLength(2);
  });

  it('without a runtime updater, calls client.updateMessage (stream, message, content)', async () => {
    const t = createTestBot(counterBot());
    await t.send('@bot /count');
    const event = t.events.at(-1);
    if (!event) throw new Error('no event');
    const { updates: _updates, ...services } = t.services;
    await t.bot.handle(event, services, { eventKey: `${eventKey(event)}-direct`, attempt: 1 });
    const calls = t.client.callsOf('updateMessage');
    expect(calls).toHaveLength(2);
    expect(calls[0]?.[0]).toBe(t.general.streamId);
    expect(calls[0]?.[1]).toBe(t.replies.at(-1)?.messageId);
    // The second update names the version the first one returned.
    expect(calls[1]?.[1]).toMatch(/^\S+$/);
    expect(calls[1]?.[1]).not.toBe(calls[0]?.[1]);
    expect(calls[1]?.[2]).toEqual({
      message: '<messageML>count: <b>2</b></messageML>',
      data: { extra: { type: 'x' } },
    });
  });
});

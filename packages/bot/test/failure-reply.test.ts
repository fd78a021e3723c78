import type { BatonEvent } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { createBot } from '../src/index.ts';
import { createTestBot } from '../src/testkit/index.ts';

type MessageSent = Extract<BatonEvent, { type: 'MESSAGESENT' }>;

describe('the failure reply reuses the plan handle made', () => {
  it('answers from the plan of the event handled, not from the message read again', async () => {
    const handled: BatonEvent[] = [];
    const bot = createBot()
      .use(async (ctx, next) => {
        if (ctx.event) handled.push(ctx.event);
        await next();
      })
      .command('/boom', {
        description: 'Fails',
        handler: () => {
          throw new Error('boom');
        },
      });
    const t = createTestBot(bot);
    await t.send('@bot /boom').catch(() => {});
    const event = handled[0] as MessageSent;
    expect(bot.failureReply(event, t.botUser)).toMatch(/^Sorry, something went wrong/);
    // The same event object, its text changed after the plan was made: the plan (addressed) decides.
    const message = event.payload.messageSent.message;
    message.message = '<div data-format="PresentationML" data-version="2.0"><p>just chatting</p></div>';
    message.data = '{}';
    expect(bot.failureReply(event, t.botUser)).toMatch(/^Sorry/);
    // An event this bot never planned is worked out from its message.
    expect(bot.failureReply(structuredClone(event), t.botUser)).toBeUndefined();
  });
});

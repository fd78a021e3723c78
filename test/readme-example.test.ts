import { createBot } from '@baton/bot';
import { createTestBot } from '@baton/bot/testkit';
import { describe, expect, it } from 'vitest';

// The "Writing a bot" example of README.md, verbatim: if the README lies, this fails.
describe('README example', () => {
  it('the echo bot and its three-line test work as shown', async () => {
    const bot = createBot().command('/echo {text:text}', {
      description: 'Repeat what you said',
      handler: async (ctx) => {
        await ctx.reply(ctx.args.text); // plain text is always escaped
      },
    });

    const t = createTestBot(bot);
    const replies = await t.send('@bot /echo hi <b>there</b>');
    expect(replies[0]?.text).toBe('hi <b>there</b>');
    expect(replies[0]?.message).toContain('hi &lt;b&gt;there&lt;/b&gt;');
  });
});

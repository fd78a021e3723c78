import { expect } from 'vitest';
import {
  type ChatPage,
  chatPageTest,
  describeChatPage,
  CHAT_PAGE_WAIT as WAIT,
} from './support/chat-page-test.ts';

// The pod simulator's chat page, in a real headless Chromium, in front of the reference bot running in a worker
// process (simulator + ingester + worker): a user who starts an IM with the bot, or creates a room with it,
// from the page sees the bot's documented greeting.

/** The text of the first bot message shown in the open conversation. */
async function botMessageShown(page: ChatPage['page']): Promise<string> {
  const message = page
    .locator('#messages .message')
    .filter({ has: page.locator('.badge') })
    .first();
  await message.waitFor({ timeout: WAIT });
  return (await message.locator('.message-body').textContent()) ?? '';
}

describeChatPage('reference bot greetings from the chat page', { workerId: 'greeter' }, () => {
  chatPageTest(
    'a new IM with the bot, started from the page, gets the new-IM greeting',
    async ({ stack, chatPage: { page } }) => {
      expect(stack.sim.control.listStreams(stack.alice.userId)).toEqual([]);
      await page.click('#new-im-button');
      await page.selectOption('#new-im-user', String(stack.bot.userId));
      await page.click('#new-im-submit');
      await expect
        .poll(() => stack.sim.control.listStreams(stack.alice.userId).length, { timeout: WAIT })
        .toBe(1);
      const im = stack.sim.control.listStreams(stack.alice.userId).find((s) => s.type === 'IM');
      expect(im).toBeDefined();
      await page.locator(`.stream.active[data-stream-id="${im?.streamId}"]`).waitFor();
      expect(await botMessageShown(page)).toBe("Hi Alice! I'm Baton. Type /help to see what I can do.");
    },
  );

  chatPageTest(
    'a room created from the page with the bot in it gets the bot’s hello',
    async ({ stack, chatPage: { page } }) => {
      await page.click('#new-room-button');
      await page.fill('#new-room-name', 'Desk from the page');
      await page.check(`#new-room-members input[data-user-id="${stack.bot.userId}"]`);
      await page.click('#new-room-submit');
      await expect
        .poll(() => stack.sim.control.listStreams(stack.alice.userId).length, { timeout: WAIT })
        .toBe(2);
      const room = stack.sim.control
        .listStreams(stack.alice.userId)
        .find((s) => s.name === 'Desk from the page');
      expect(room?.memberIds).toEqual([stack.alice.userId, stack.bot.userId]);
      await page.locator(`.stream.active[data-stream-id="${room?.streamId}"]`).waitFor();
      expect(await botMessageShown(page)).toBe('Hello everyone! Mention me with /help to see what I can do.');
    },
  );
});

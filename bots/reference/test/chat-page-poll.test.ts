import type { E2EStack } from '@baton/worker/testing';
import { expect } from 'vitest';
import {
  type ChatPage,
  chatPageTest,
  describeChatPage,
  CHAT_PAGE_WAIT as WAIT,
} from './support/chat-page-test.ts';

// The reference bot's /poll seen in the pod simulator's chat page, in a real headless Chromium, with the bot
// running in a worker process (simulator + ingester + worker). A form comes back enabled after a reload (Symphony
// resets forms on reload), so a closed poll must not leave its buttons behind: closing it updates the poll
// message (Symphony's message update), and the page shows the new version in place of the form.

async function say({ page }: ChatPage, text: string): Promise<void> {
  await page.fill('#composer-input', text);
  await page.press('#composer-input', 'Enter');
}

/** Reloads the page (same user, same room) and waits for the room's messages. */
async function reload({ page, roomId }: ChatPage): Promise<void> {
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator(`.stream.active[data-stream-id="${roomId}"]`).waitFor();
  await page.locator('#messages .message').first().waitFor();
}

const botMessages = (stack: E2EStack, { roomId }: ChatPage) =>
  stack.sim.control.listMessages(roomId).filter((m) => m.sender.bot);
const pollForm = ({ page }: ChatPage) => page.locator('#messages .message form.elements-form');

describeChatPage('reference bot poll in the chat page', { workerId: 'poller', roomName: 'Lunch' }, () => {
  chatPageTest(
    'a poll form is back after a reload until the poll closes; after the close, reloads show the results',
    async ({ stack, chatPage }) => {
      const { page } = chatPage;
      await say(chatPage, `@${stack.bot.username} /poll "Lunch?" pizza sushi`);
      await pollForm(chatPage).waitFor();
      const pollMessageId = await pollForm(chatPage)
        .locator('xpath=ancestor::li[contains(@class, "message")]')
        .getAttribute('data-message-id');
      expect(pollMessageId).toBeTruthy();
      await pollForm(chatPage).locator('button', { hasText: 'sushi' }).click();
      await page.locator('#messages .message', { hasText: 'your vote for sushi is counted' }).waitFor();

      // Symphony resets a submitted form on reload: the buttons are live again.
      await reload(chatPage);
      expect(await pollForm(chatPage).locator('button', { hasText: 'pizza' }).isEnabled()).toBe(true);

      await say(chatPage, `@${stack.bot.username} /poll close`);
      await page.locator('#messages .message', { hasText: 'Results: Lunch? (1 vote)' }).waitFor();
      // Live: the poll message is replaced in place by its new version, which has no form.
      const closed = page.locator('#messages .message', { hasText: 'This poll is closed' });
      await closed.waitFor();
      await expect.poll(() => pollForm(chatPage).count(), { timeout: WAIT }).toBe(0);
      expect(await page.locator(`#messages .message[data-message-id="${pollMessageId}"]`).count()).toBe(0);
      expect(await closed.locator('.edited').textContent()).toBe('edited');

      // The simulator holds both versions: the form one is marked replaced by the results one.
      const versions = botMessages(stack, chatPage).filter(
        (m) => m.messageId === pollMessageId || m.replacing === pollMessageId,
      );
      expect(versions).toHaveLength(2);
      const [original, replacement] = versions;
      expect(original?.replacedBy).toBe(replacement?.messageId);
      expect(replacement?.presentationML).not.toContain('<form');

      // After a reload the closed poll still shows no buttons, where the form was (before the vote confirmation).
      await reload(chatPage);
      await page.locator('#messages .message', { hasText: 'This poll is closed' }).waitFor();
      expect(await pollForm(chatPage).count()).toBe(0);
      expect(await page.locator('#messages .message button').count()).toBe(0);
      const texts = await page.locator('#messages .message .message-body').allTextContents();
      const closedAt = texts.findIndex((t) => t.includes('This poll is closed'));
      const voteAt = texts.findIndex((t) => t.includes('your vote for sushi is counted'));
      expect(closedAt).toBeGreaterThanOrEqual(0);
      expect(closedAt).toBeLessThan(voteAt);
      const table = page.locator('#messages .message', { hasText: 'This poll is closed' }).locator('table');
      expect(await table.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['sushi', '1']);
    },
  );
});

import { expect } from 'vitest';
import {
  type ChatPage,
  chatPageTest,
  describeChatPage,
  CHAT_PAGE_WAIT as WAIT,
} from './support/chat-page-test.ts';

// Files in the pod simulator's chat page, in a real headless Chromium, with the reference bot in a worker
// process: Alice attaches a text file with the file picker and sends `/wc`; her message shows the file as a
// download link, and the bot's answer comes back with its own file (`wc.txt`), which the page downloads.

/** What the page gets when it follows a file link (same origin, as a click would). */
const fetchFromPage = (page: ChatPage['page'], href: string) =>
  page.evaluate(async (url) => {
    const res = await fetch(url);
    return {
      status: res.status,
      disposition: res.headers.get('content-disposition'),
      text: await res.text(),
    };
  }, href);

describeChatPage('files in the chat page', { workerId: 'files', roomName: 'Docs' }, () => {
  chatPageTest(
    'attaches a file, shows it, and shows the bot’s answer with its file',
    async ({ stack, chatPage: { page, roomId } }) => {
      await page.setInputFiles('#composer-files', {
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('one two three\nfour five\n'),
      });
      const chip = page.locator('#composer-files-list .picked-file');
      await chip.waitFor();
      expect(await chip.locator('.picked-name').textContent()).toBe('notes.txt');

      await page.fill('#composer-input', `@${stack.bot.username} /wc`);
      await page.press('#composer-input', 'Enter');
      await expect.poll(() => chip.count(), { timeout: WAIT }).toBe(0);

      // Alice's message, with her file as a link the simulator serves.
      const mine = page.locator('#messages .message.mine', { hasText: '/wc' });
      const myLink = mine.locator('.message-files a.file-link');
      await myLink.waitFor();
      expect(await myLink.textContent()).toBe('notes.txt');
      expect(await mine.locator('.file-size').textContent()).toBe('24 B');
      const mineDownload = await fetchFromPage(page, (await myLink.getAttribute('href')) ?? '');
      expect(mineDownload.status).toBe(200);
      expect(mineDownload.text).toBe('one two three\nfour five\n');
      expect(mineDownload.disposition).toContain('filename="notes.txt"');

      // The bot's answer: the counts, and wc.txt.
      const answer = page.locator('#messages .message', { hasText: 'notes.txt: 2 lines, 5 words, 24 bytes' });
      await answer.waitFor();
      const botLink = answer.locator('.message-files a.file-link');
      expect(await botLink.textContent()).toBe('wc.txt');
      expect(await botLink.getAttribute('download')).toBe('wc.txt');
      const report = await fetchFromPage(page, (await botLink.getAttribute('href')) ?? '');
      expect(report.text).toBe('      2       5      24 notes.txt\n');

      // Once: a single bot message in the room.
      expect(stack.sim.control.listMessages(roomId).filter((m) => m.sender.bot)).toHaveLength(1);
    },
  );

  chatPageTest(
    'sends a file without text, and keeps showing files after a reload',
    async ({ chatPage: { page } }) => {
      await page.setInputFiles('#composer-files', [
        { name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n') },
        { name: 'b.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(2048) },
      ]);
      await page.locator('#composer-files-list .picked-file').nth(1).waitFor();
      await page.click('#send');
      const fileOnly = page.locator('#messages .message.mine', { hasText: 'b.bin' });
      await fileOnly.waitFor();
      expect(await fileOnly.locator('a.file-link').allTextContents()).toEqual(['a.csv', 'b.bin']);
      expect(await fileOnly.locator('.file-size').allTextContents()).toEqual(['4 B', '2.0 KB']);
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      await page.locator('#messages .message.mine', { hasText: 'b.bin' }).waitFor();
      expect(await page.locator('#messages a.file-link').allTextContents()).toEqual([
        'notes.txt',
        'wc.txt',
        'a.csv',
        'b.bin',
      ]);
    },
  );
});

import { openTestPage, type TestPage } from '@baton/shared/testing';
import { stackTest } from '@baton/worker/testing';

/** How long a chat-page wait may take (the page's default timeout). */
export const CHAT_PAGE_WAIT = 30_000;

export interface ChatPageOptions {
  /** The id of the one worker process started for the page. */
  workerId: string;
  /** Open a new room of Alice and the bot by this name (else the page opens on Alice's list). */
  roomName?: string;
}

export interface ChatPage extends TestPage {
  /** The room the page opened (`''` without `roomName`). */
  roomId: string;
}

/**
 * `stackTest` plus `chatPage`: one worker process (`chatPageOptions.workerId`) on the file's stack and the
 * simulator's chat page open in a headless Chromium as Alice, connected live (in the room `roomName` when given),
 * closed before the stack. A file sets `chatPageTest.override('stackOptions', referenceStackOptions())` and
 * `chatPageTest.override('chatPageOptions', { … })`, under `describe.skipIf(!hasTestChromium())`.
 */
export const chatPageTest = stackTest
  .extend('chatPageOptions', { scope: 'file' }, { workerId: 'chat' } as ChatPageOptions)
  .extend(
    'chatPage',
    { scope: 'file' },
    async ({ stack, chatPageOptions }, { onCleanup }): Promise<ChatPage> => {
      await stack.spawnWorker(chatPageOptions.workerId);
      const { alice, bot } = stack;
      const { roomName } = chatPageOptions;
      const roomId =
        roomName === undefined
          ? ''
          : stack.sim.control.createStream({
              type: 'ROOM',
              name: roomName,
              memberIds: [alice.userId, bot.userId],
            }).streamId;
      const opened = await openTestPage({
        viewport: { width: 1280, height: 900 },
        timeoutMs: CHAT_PAGE_WAIT,
      });
      onCleanup(() => opened.browser.close());
      const { page } = opened;
      await page.goto(`${stack.sim.url}/#user=${alice.userId}${roomId ? `&stream=${roomId}` : ''}`);
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForSelector('#live[data-status="open"]');
      if (roomId) await page.locator(`.stream.active[data-stream-id="${roomId}"]`).waitFor();
      return { ...opened, roomId };
    },
  );

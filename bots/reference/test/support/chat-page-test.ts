import { hasTestChromium, openTestPage, TEST_CHROMIUM_PATH, type TestPage } from '@baton/shared/testing';
import { stackTest } from '@baton/worker/testing';
import { describe, expect } from 'vitest';
import { referenceStackOptions } from './reference-stack-options.ts';

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
 * closed before the stack. A file writes its tests in `describeChatPage`, which sets both fixtures' options.
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

/**
 * The file's chat-page suite (call it at the top of the file), skipped, saying why, where Chromium is not
 * installed: the reference bot's stack (`referenceStackOptions()`) and the page as `options` say, opened in a
 * `beforeAll` (a hook's time covers starting the stack, the worker process and Chromium); then `body`'s tests
 * (`chatPageTest`, sharing the file's `stack` and `chatPage`), then a last test that the page raised no errors.
 */
export function describeChatPage(name: string, options: ChatPageOptions, body: () => void): void {
  chatPageTest.override('stackOptions', referenceStackOptions());
  chatPageTest.override('chatPageOptions', options);
  const suite = `${name}${hasTestChromium() ? '' : ` (skipped: ${TEST_CHROMIUM_PATH} is not installed)`}`;
  describe.skipIf(!hasTestChromium())(suite, () => {
    chatPageTest.beforeAll(async ({ chatPage: _opened }) => {}, 90_000);
    body();
    chatPageTest('raised no page errors', ({ chatPage }) => {
      expect(chatPage.pageErrors).toEqual([]);
    });
  });
}

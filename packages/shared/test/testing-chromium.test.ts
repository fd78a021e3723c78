import { afterAll, describe, expect, it } from 'vitest';
import { hasTestChromium, launchTestChromium, TEST_CHROMIUM_PATH } from '../src/testing/index.ts';

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const b of opened) await b.close();
});

describe('launchTestChromium', () => {
  it('returns undefined when the browser is not installed', async () => {
    expect(hasTestChromium('/nonexistent/chromium')).toBe(false);
    expect(await launchTestChromium('/nonexistent/chromium')).toBeUndefined();
  });

  it.skipIf(!hasTestChromium())(
    `launches ${TEST_CHROMIUM_PATH} headless and renders a page`,
    { timeout: 60_000 },
    async () => {
      const browser = await launchTestChromium();
      expect(browser).toBeDefined();
      if (!browser) return;
      opened.push(browser);
      const page = await browser.newPage();
      await page.setContent('<p id="x">hello <b>chromium</b></p>');
      expect(await page.textContent('#x')).toBe('hello chromium');
    },
  );
});

import type { Browser, Page } from 'playwright-core';
import { launchTestChromium, TEST_CHROMIUM_PATH } from './launch-test-chromium.ts';

export interface TestPage {
  browser: Browser;
  page: Page;
  /** The messages of the page's uncaught errors, in order (a browser test ends by expecting none). */
  pageErrors: string[];
}

/**
 * Launches the test Chromium and opens one page of `viewport` whose waits default to `timeoutMs`, collecting its
 * uncaught errors. For a suite already skipped without Chromium (`describe.skipIf(!hasTestChromium())`): throws
 * if it is gone. The caller closes `browser`.
 */
export async function openTestPage(opts: {
  viewport: { width: number; height: number };
  timeoutMs: number;
}): Promise<TestPage> {
  const browser = await launchTestChromium();
  if (!browser) throw new Error(`${TEST_CHROMIUM_PATH} disappeared`);
  const page = await browser.newPage({ viewport: opts.viewport });
  page.setDefaultTimeout(opts.timeoutMs);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { browser, page, pageErrors };
}

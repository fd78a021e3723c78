import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** The system Chromium the browser tests drive (Debian's package; also in the CI image). */
export const TEST_CHROMIUM_PATH = '/usr/bin/chromium';

/** Whether the browser tests can run here (for `describe.skipIf`, which needs the answer synchronously). */
export function hasTestChromium(executablePath: string = TEST_CHROMIUM_PATH): boolean {
  return existsSync(executablePath);
}

/** Flags for a quiet, headless, sandbox-less Chromium in containers and CI: no GPU, no background traffic. */
export const TEST_CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches the system Chromium through playwright-core for a browser test, or returns `undefined` when
 * `/usr/bin/chromium` (or `executablePath`) is not installed: the test then skips, saying why. The caller closes
 * the browser.
 */
export async function launchTestChromium(
  executablePath: string = TEST_CHROMIUM_PATH,
): Promise<Browser | undefined> {
  if (!hasTestChromium(executablePath)) return undefined;
  // Loaded on demand: the Redis-only tests that import this barrel never pay for playwright-core.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: [...TEST_CHROMIUM_ARGS] });
}

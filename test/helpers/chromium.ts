/**
 * One headless Chromium for every browser test in the process (the e2e group runs both
 * browser files in one process, test/helpers/testGroups.ts): a launch costs ~1.5 CPU-s
 * (issue 14 item 7). Launched on first use, closed when the process's tests end. A string
 * says why there is no browser (the tests then skip, naming it).
 */
import { existsSync } from 'node:fs';
import t from 'tap';
import type { Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function launch(): Promise<Browser | string> {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  let pw: typeof import('playwright-core');
  try {
    pw = await import('playwright-core');
  } catch (e) {
    return `playwright-core is not installed: ${(e as Error).message}`;
  }
  try {
    // Without the background-networking flags Chromium keeps trying to reach Google's hosts.
    const browser = await pw.chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    t.teardown(() => browser.close());
    return browser;
  } catch (e) {
    return `Chromium at ${CHROMIUM} did not start: ${(e as Error).message.split('\n')[0] ?? ''}`;
  }
}

let shared: Promise<Browser | string> | undefined;

export function sharedBrowser(): Promise<Browser | string> {
  shared ??= launch();
  return shared;
}

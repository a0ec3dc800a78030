// One headless Chromium per test file (Debian's /usr/bin/chromium; never a downloaded one).
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { removeTempScreenshots } from './screenshots';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Launches Chromium before the file's tests and closes it after; read `.browser` in a test. */
export function useBrowser(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    removeTempScreenshots();
  });
  return {
    get browser(): Browser {
      if (!browser) throw new Error('Chromium is not running');
      return browser;
    },
  };
}

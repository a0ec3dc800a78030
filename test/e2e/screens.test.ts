// The screens around the walks: no key yet (the empty state), the settings and the
// language switch to Ukrainian, the main screen in dark mode, and the page that has
// lost its companion (the browser host gone).
import { describe, expect, it } from 'vitest';
import { activateKey } from './harness/activate';
import { useBrowser } from './harness/browser';
import { walk } from './harness/walk';

const chromium = useBrowser();
const CYRILLIC = /[\u0400-\u04FF]/;

describe('screens in the browser', { timeout: 90_000 }, () => {
  it('no key: the empty state', async () => {
    await walk(chromium.browser, {}, async ({ world, ui }) => {
      await ui.serverStatus('connected');
      await ui.page.locator('[data-testid="empty-state"]').waitFor();
      expect(await ui.page.locator('article[data-testid="key-card"]').count()).toBe(0);
      await ui.screen('empty-state', world.typed);
    });
  });

  it('settings: the language switch to uk shows Ukrainian text', async () => {
    await walk(chromium.browser, {}, async ({ world, ui, serial }) => {
      const { page } = ui;
      await activateKey(ui, world, serial);
      const status = ui.card(serial).locator('[data-testid="key-status"]');
      const english = await status.innerText();
      expect(english).not.toMatch(CYRILLIC);

      await page.locator('[data-testid="open-settings"]').click();
      const settings = page.locator('[data-testid="settings"]');
      await settings.waitFor();
      // The address in use checks out (Check validates the address; Save connects); a
      // malformed one is refused with a message.
      const address = settings.locator('[data-testid="server-url-input"]');
      expect(await address.inputValue()).toBe(world.rig.server.url);
      const result = settings.locator('[data-testid="server-check-result"]');
      await settings.locator('[data-testid="server-check"]').click();
      await settings.locator('[data-testid="server-check-result"][data-tone="success"]').waitFor();
      await ui.screen('settings', world.typed);
      await address.fill('ftp://127.0.0.1/hes');
      await settings.locator('[data-testid="server-check"]').click();
      await settings.locator('[data-testid="server-check-result"][data-tone="error"]').waitFor();
      expect(await result.innerText()).not.toBe('');
      await ui.axe('settings-check-failed');
      await address.fill(world.rig.server.url);

      await settings.locator('[data-testid="language-select"]').selectOption('uk');
      await page.waitForFunction(() => document.documentElement.lang === 'uk');
      await settings.locator('[data-testid="settings-close"]').click();
      await settings.waitFor({ state: 'hidden' });
      const ukrainian = await status.innerText();
      expect(ukrainian).toMatch(CYRILLIC);
      expect(ukrainian).not.toBe(english);
      expect(await page.locator('[data-testid="server-status"]').innerText()).toMatch(CYRILLIC);
      await ui.screen('main-uk', world.typed);
    });
  });

  it('dark mode: the main screen with an Active key', async () => {
    await walk(chromium.browser, { colorScheme: 'dark' }, async ({ world, ui, serial }) => {
      await activateKey(ui, world, serial);
      await ui.screen('main-dark', world.typed);
    });
  });

  it('the companion goes away: the page says the bridge is lost', async () => {
    await walk(chromium.browser, {}, async ({ world, ui, serial }) => {
      await activateKey(ui, world, serial);
      // The browser logs each refused reconnection of the socket: that is the host being
      // gone, not a fault of the page.
      ui.tolerate(/^WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/ipc\?token=[^']*' failed/);
      // …and each refused look at the host's page, by which it tells a stopped companion from
      // one restarted at a new address.
      ui.tolerate(
        /^Failed to load resource: net::ERR_CONNECTION_REFUSED(?: \(http:\/\/127\.0\.0\.1:\d+\/\))?$/,
      );
      await world.host.close();
      await ui.page.locator('[data-testid="bridge-lost"]').waitFor();
      await ui.screen('bridge-lost', world.typed);
    });
  });
});

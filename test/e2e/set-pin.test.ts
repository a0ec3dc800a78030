// A key without a PIN whose profile does not ask for one (the demo's default): the card
// offers Set PIN (new PIN twice, no current PIN), and Change PIN once the key has one. An
// open-protocol key says whether it has a PIN; a Hideez Key 3 does not, so its card offers
// Change PIN until the key answers that it has none (no attempt spent), then Set PIN.
import { describe, it } from 'vitest';
import { activateKey } from './harness/activate';
import { useBrowser } from './harness/browser';
import type { CompanionPage } from './harness/companion-page';
import { PIN } from './harness/steps';
import { walk } from './harness/walk';

const chromium = useBrowser();

async function fillAndSubmit(
  ui: CompanionPage,
  serial: string,
  pins: { old?: string; fresh: string },
): Promise<void> {
  const dialog = await ui.dialog(serial, 'changePin');
  if (pins.old !== undefined) {
    await dialog.locator('[data-testid="old-pin-input"]').pressSequentially(pins.old);
  } else if ((await dialog.locator('[data-testid="old-pin-input"]').count()) > 0) {
    throw new Error('Set PIN asks for a current PIN');
  }
  await dialog.locator('[data-testid="new-pin-input"]').pressSequentially(pins.fresh);
  await dialog.locator('[data-testid="confirm-pin-input"]').pressSequentially(pins.fresh);
  await dialog.locator('[data-testid="prompt-submit"]').click();
}

describe.each(['open', 'key3'] as const)(
  'a first PIN in the browser (%s keys)',
  { timeout: 90_000 },
  (family) => {
    it('4d. no PIN and a profile that does not ask for one: Set PIN, then Change PIN', async () => {
      await walk(chromium.browser, { family }, async ({ world, ui, serial }) => {
        await activateKey(ui, world, serial);
        const card = ui.card(serial);
        world.typed.push(PIN);
        if (family === 'key3') {
          // The Key 3 cannot say it has no PIN: Change PIN first, the key's answer, then Set PIN.
          await card.locator('[data-testid="action-change-pin"]').click();
          world.typed.push('2468');
          await fillAndSubmit(ui, serial, { old: '2468', fresh: PIN });
          await card.locator('[data-testid="action-set-pin"]').waitFor();
          await ui.page.keyboard.press('Escape');
          await ui.noDialog();
        }
        await card.locator('[data-testid="action-set-pin"]').click();
        await fillAndSubmit(ui, serial, { fresh: PIN });
        await ui.noDialog();
        await card.locator('[data-testid="action-change-pin"]').waitFor();
        await ui.cardWith(serial, { 'data-view-kind': 'active', 'data-step': 'online' });
      });
    });
  },
);

// Activation as the employee does it in the real renderer (browser host, Chromium), against
// a real virtual key and the HES stand-in: a wrong code then the right one, three wrong
// codes (Locked by code), the admin's Activate (Suspended, new code), and the whole
// activation by keyboard only. Each screen is checked with axe and photographed.
import { describe, expect, it } from 'vitest';
import { VaultStatus } from '../../shared/vault/vault-status';
import { useBrowser } from './harness/browser';
import type { CompanionPage } from './harness/companion-page';
import { attemptsLeft, enterCode, wrongCode } from './harness/steps';
import { walk } from './harness/walk';
import type { World } from './harness/world';

const chromium = useBrowser();

/** Three wrong codes: the key locks itself (Locked by activation code). */
async function lockByCode(ui: CompanionPage, world: World, serial: string): Promise<void> {
  const code = world.reserve(serial);
  await world.plug(serial);
  for (let i = 0; i < 3; i++) {
    const dialog = await enterCode(ui, serial, wrongCode([code, serial], i), world.typed);
    if (i < 2) await attemptsLeft(dialog, 2 - i);
  }
  await ui.noDialog();
  // Stopped: the flow has reported the lock, so the server holds Locked before the admin acts.
  await ui.cardWith(serial, { 'data-view-kind': 'lockedByCode', 'data-step': 'stopped' });
}

describe.each(['open', 'key3'] as const)(
  'activation in the browser (%s keys)',
  { timeout: 90_000 },
  (family) => {
    it('1. a wrong code shows the attempts left; the right one makes the key Active', async () => {
      await walk(chromium.browser, { family }, async ({ world, ui, serial }) => {
        const code = world.reserve(serial);
        await ui.serverStatus('connected');
        await world.plug(serial);
        const dialog = await ui.dialog(serial, 'activationCode');
        await ui.cardWith(serial, { 'data-view-kind': 'awaitingActivation' });
        await ui.screen('01-activation-code', world.typed);

        await enterCode(ui, serial, wrongCode([code, serial]), world.typed);
        await attemptsLeft(dialog, 2);
        await dialog.locator('[data-testid="prompt-result"]').waitFor();
        await ui.screen('01-activation-wrong-code', world.typed);

        await enterCode(ui, serial, code, world.typed);
        await ui.noDialog();
        const card = await ui.cardWith(serial, {
          'data-view-kind': 'active',
          'data-step': 'online',
        });
        await card.locator('[data-testid="key-owner"]').waitFor();
        await card.locator('[data-testid="key-history"]').waitFor();
        await ui.screen('01-active', world.typed);
        expect(world.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      });
    });

    it('2. three wrong codes: the last-attempt warning, then the Locked by code notice', async () => {
      await walk(chromium.browser, { family }, async ({ world, ui, serial }) => {
        const code = world.reserve(serial);
        await world.plug(serial);
        let dialog = await enterCode(ui, serial, wrongCode([code, serial], 0), world.typed);
        await attemptsLeft(dialog, 2);
        dialog = await enterCode(ui, serial, wrongCode([code, serial], 1), world.typed);
        await attemptsLeft(dialog, 1);
        await dialog.locator('[data-testid="last-attempt-warning"]').waitFor();
        await ui.screen('02-last-attempt', world.typed);

        await enterCode(ui, serial, wrongCode([code, serial], 2), world.typed);
        await ui.noDialog();
        await ui.cardWith(serial, { 'data-view-kind': 'lockedByCode', 'data-step': 'stopped' });
        await ui.notice('lockedByCode');
        // The lock is read out by the live region, not only drawn.
        await ui.page
          .locator('[data-testid="announcer"] [aria-live] > *')
          .first()
          .waitFor({ state: 'attached' });
        await ui.screen('02-locked-by-code', world.typed);
        // Nothing the employee could retry, and no raw server code on the card.
        const locked = ui.page.locator(`[data-testid="key-card"][data-serial="${serial}"]`);
        expect(await locked.locator('[data-testid="action-retry"]').count()).toBe(0);
        expect(await locked.innerText()).not.toMatch(/\b6\d\d\b|error/i);
        expect(world.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Locked);
      });
    });

    it('3. the admin activates the locked key: Suspended, the new code makes it Active', async () => {
      await walk(chromium.browser, { family }, async ({ world, ui, serial }) => {
        await lockByCode(ui, world, serial);
        const fresh = world.activate(serial);
        // The card updates by itself: HES relocks the connected key with the new code, and
        // the key's changed state runs the flow again (no replug, no Try again). A Key 3's
        // STATUS does not show it: its driver reads the key back once the server is done.
        await ui.dialog(serial, 'activationCode');
        await ui.cardWith(serial, {
          'data-view-kind': 'suspended',
          'data-connection': 'connected',
        });
        await ui.screen('03-suspended-new-code', world.typed);

        await enterCode(ui, serial, fresh, world.typed);
        await ui.noDialog();
        await ui.cardWith(serial, { 'data-view-kind': 'active', 'data-step': 'online' });
        expect(world.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      });
    });

    it('keyboard only: focus goes into the dialog, Tab stays in it, Enter submits, focus comes back', async () => {
      await walk(chromium.browser, { family }, async ({ world, ui, serial }) => {
        const { page } = ui;
        const code = world.reserve(serial);
        await ui.serverStatus('connected');
        // The employee is on a control of the page when the key asks for its code.
        await page.keyboard.press('Tab');
        const before = await page.evaluate(() => document.activeElement?.outerHTML ?? '');
        expect(before.startsWith('<body'), 'Tab reaches a control').toBe(false);

        await world.plug(serial);
        const dialog = await ui.dialog(serial, 'activationCode');
        const input = dialog.locator('[data-testid="activation-code-input"]');
        await page.waitForFunction(
          () => document.activeElement?.getAttribute('data-testid') === 'activation-code-input',
        );

        const wrong = wrongCode([code, serial]);
        world.typed.push(wrong);
        await page.keyboard.type(wrong);
        await page.keyboard.press('Enter');
        await attemptsLeft(dialog, 2);
        // After a wrong code the field is ready for the next one.
        await page.waitForFunction(
          () => document.activeElement?.getAttribute('data-testid') === 'activation-code-input',
        );
        expect(await input.inputValue()).toBe('');

        // Tab moves to the dialog's own controls, never out of the dialog.
        for (let i = 0; i < 4; i++) {
          await page.keyboard.press('Tab');
          const inside = await page.evaluate(
            () => document.activeElement?.closest('[data-testid="prompt-dialog"]') !== null,
          );
          expect(inside, `Tab ${i + 1} stays in the dialog`).toBe(true);
        }
        for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+Tab');
        expect(
          await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
          'Shift+Tab goes back to the code field',
        ).toBe('activation-code-input');

        world.typed.push(code);
        await page.keyboard.type(code);
        await page.keyboard.press('Enter');
        await ui.noDialog();
        await ui.cardWith(serial, { 'data-view-kind': 'active', 'data-step': 'online' });
        // Focus is back where it was, or on the key's card: never lost to the page.
        const after = await page.evaluate((s) => {
          const active = document.activeElement;
          if (!active || active === document.body) return 'body';
          const card = active.closest('article[data-testid="key-card"]');
          return card?.getAttribute('data-serial') === s ? 'card' : active.outerHTML;
        }, serial);
        expect(after === 'card' || after === before, `focus returned (${after.slice(0, 80)})`).toBe(
          true,
        );
      });
    });
  },
);

// PIN as the employee meets it (profile with PIN on connection, 3 tries): setting it at
// activation, a wrong PIN at the next connection (attempts left), and the lockout (all
// attempts wrong: the Locked by PIN notice). Real renderer, key and stand-in.
import { describe, expect, it } from 'vitest';
import { VaultStatus } from '../../shared/vault/vault-status';
import { useBrowser } from './harness/browser';
import { attemptsLeft, enterCode, enterPin, PIN, WRONG_PIN } from './harness/steps';
import { activateWithPin } from './harness/activate';
import { walk } from './harness/walk';

const chromium = useBrowser();
const PIN_PROFILE = { pinConnection: true, pinTryCount: 3 };

describe.each(['open', 'key3'] as const)(
  'the PIN in the browser (%s keys)',
  { timeout: 90_000 },
  (family) => {
    it('4a. the profile asks for a PIN: the new-PIN dialog after the code', async () => {
      await walk(
        chromium.browser,
        { family, profile: PIN_PROFILE },
        async ({ world, ui, serial }) => {
          const code = world.reserve(serial);
          await world.plug(serial);
          await enterCode(ui, serial, code, world.typed);
          const dialog = await ui.dialog(serial, 'newPin');
          await dialog.locator('[data-testid="new-pin-input"]').waitFor();
          await dialog.locator('[data-testid="confirm-pin-input"]').waitFor();
          await ui.cardWith(serial, { 'data-view-kind': 'newPinRequired' });
          await ui.screen('04-new-pin', world.typed);
        },
      );
    });

    it('4b. a wrong PIN shows the attempts left; all wrong: the Locked by PIN notice', async () => {
      await walk(
        chromium.browser,
        { family, profile: PIN_PROFILE },
        async ({ world, ui, serial }) => {
          await activateWithPin(ui, world, serial);
          await world.replug(serial);
          const dialog = await ui.dialog(serial, 'pin');
          await ui.cardWith(serial, { 'data-view-kind': 'pinRequired' });
          await ui.screen('04-pin', world.typed);

          await enterPin(ui, serial, WRONG_PIN, world.typed);
          await attemptsLeft(dialog, 2);
          await ui.screen('04-wrong-pin', world.typed);
          await enterPin(ui, serial, WRONG_PIN, world.typed);
          await attemptsLeft(dialog, 1);
          await dialog.locator('[data-testid="last-attempt-warning"]').waitFor();
          await enterPin(ui, serial, WRONG_PIN, world.typed);
          await ui.noDialog();
          await ui.cardWith(serial, { 'data-view-kind': 'lockedByPin', 'data-step': 'stopped' });
          await ui.notice('lockedByPin');
          await ui.screen('04-locked-by-pin', world.typed);
          expect(world.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Locked);
        },
      );
    });

    it('4c. change PIN from the card: the key then opens with the new PIN only', async () => {
      await walk(
        chromium.browser,
        { family, profile: PIN_PROFILE },
        async ({ world, ui, serial }) => {
          await activateWithPin(ui, world, serial);
          const card = ui.card(serial);
          await card.locator('[data-testid="action-change-pin"]').click();
          const dialog = await ui.dialog(serial, 'changePin');
          await ui.screen('04-change-pin', world.typed);

          const fresh = '24681357';
          world.typed.push(fresh);
          await dialog.locator('[data-testid="old-pin-input"]').pressSequentially(PIN);
          await dialog.locator('[data-testid="new-pin-input"]').pressSequentially(fresh);
          await dialog.locator('[data-testid="confirm-pin-input"]').pressSequentially(fresh);
          await dialog.locator('[data-testid="prompt-submit"]').click();
          await ui.noDialog();

          await world.replug(serial);
          const pin = await enterPin(ui, serial, PIN, world.typed);
          await attemptsLeft(pin, 2);
          await enterPin(ui, serial, fresh, world.typed);
          await ui.noDialog();
          await ui.cardWith(serial, { 'data-view-kind': 'active', 'data-step': 'online' });
        },
      );
    });
  },
);

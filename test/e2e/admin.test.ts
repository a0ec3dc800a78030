// What the employee sees when the administrator acts on a working key in the HES
// stand-in: Suspend (the notice asks for the new code), Remove (withdrawal: the key is
// wiped) and Compromise. Each change reaches the key at its next connection (replug).
import { describe, expect, it } from 'vitest';
import { VaultStatus, VaultStatusReason } from '../../shared/vault/vault-status';
import { activateKey } from './harness/activate';
import { useBrowser } from './harness/browser';
import { enterCode } from './harness/steps';
import { walk } from './harness/walk';

const chromium = useBrowser();

describe.each(['open', 'key3'] as const)(
  "the administrator's actions in the browser (%s keys)",
  { timeout: 90_000 },
  (family) => {
    it('5. suspended while connected: the Suspended notice asks for the new code', async () => {
      await walk(chromium.browser, { family }, async ({ world, ui, serial }) => {
        await activateKey(ui, world, serial);
        const code = world.suspend(serial, 'left on a train');
        await world.replug(serial);
        await ui.dialog(serial, 'activationCode');
        await ui.cardWith(serial, { 'data-view-kind': 'suspended' });
        await ui.notice('suspended');
        await ui.screen('05-suspended', world.typed);

        await enterCode(ui, serial, code, world.typed);
        await ui.noDialog();
        await ui.cardWith(serial, { 'data-view-kind': 'active', 'data-step': 'online' });
        expect(world.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      });
    });

    it('6. withdrawn (removed from the employee): the key is wiped and the user is told', async () => {
      await walk(chromium.browser, { family }, async ({ world, ui, serial }) => {
        await activateKey(ui, world, serial);
        world.rig.server.standIn.remove(serial, VaultStatusReason.Withdrawal);
        await world.replug(serial);
        await ui.cardWith(serial, { 'data-view-kind': 'wiped', 'data-step': 'stopped' });
        await ui.notice('wiped');
        await ui.screen('06-wiped', world.typed);
      });
    });

    it('7. compromised: the key is refused and the user is told', async () => {
      await walk(chromium.browser, { family }, async ({ world, ui, serial }) => {
        await activateKey(ui, world, serial);
        world.rig.server.standIn.compromise(serial, VaultStatusReason.Stolen, 'stolen from a car');
        await world.replug(serial);
        // HES forgets the master key on Compromise: a key still linked meets HES's 616 check
        // before any status is read, so the companion shows it as linked to another server
        // (as test/main/workflow/lifecycle.test.ts establishes).
        await ui.cardWith(serial, {
          'data-view-kind': 'linkedToAnotherServer',
          'data-step': 'stopped',
        });
        await ui.notice('linkedToAnotherServer');
        await ui.screen('07-compromised', world.typed);
        expect(world.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Compromised);
      });
    });
  },
);

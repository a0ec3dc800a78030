// The common opening of the walks that start from a working key: the admin reserves it,
// the employee plugs it in and types the code (and sets the PIN if the profile asks),
// and the card shows it Active and online.
import type { CompanionPage } from './companion-page';
import { enterCode, enterNewPin, enterPin, PIN } from './steps';
import type { World } from './world';

export async function activateKey(ui: CompanionPage, world: World, serial: string): Promise<void> {
  const code = world.reserve(serial);
  await ui.serverStatus('connected');
  await world.plug(serial);
  await enterCode(ui, serial, code, world.typed);
  await ui.noDialog();
  await ui.cardWith(serial, { 'data-view-kind': 'active', 'data-step': 'online' });
}

/** With a PIN profile: the code, the new PIN (and the PIN if the key asks for it at once). */
export async function activateWithPin(
  ui: CompanionPage,
  world: World,
  serial: string,
): Promise<void> {
  const code = world.reserve(serial);
  await world.plug(serial);
  await enterCode(ui, serial, code, world.typed);
  await ui.dialog(serial, 'newPin');
  await enterNewPin(ui, serial, PIN, world.typed);
  const { page } = ui;
  const pinDialog = page.locator('[data-testid="prompt-dialog"][data-kind="pin"]');
  const online = ui.card(serial).and(page.locator('[data-step="online"]'));
  await pinDialog.or(online).first().waitFor();
  if (await pinDialog.isVisible()) await enterPin(ui, serial, PIN, world.typed);
  await ui.noDialog();
  await ui.cardWith(serial, { 'data-view-kind': 'active', 'data-step': 'online' });
}

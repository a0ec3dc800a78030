// What the employee does in the prompt dialog, through the page only: type into the
// contract's fields and press its submit button. Every value typed is remembered in
// `typed` first, so the secrets scan looks for it.
import type { Locator } from 'playwright-core';
import type { CompanionPage } from './companion-page';

/**
 * A wrong activation code: not a real one, and not inside any of `avoid` (the real codes,
 * the serial), so the secrets scan cannot mistake a serial for a leaked code.
 */
export function wrongCode(avoid: readonly string[], seed = 0): string {
  for (let n = 482_915 + seed * 7919; ; n += 1) {
    const code = String(n % 1_000_000).padStart(6, '0');
    if (!avoid.some((text) => text.includes(code))) return code;
  }
}

export const PIN = '13572468';
export const WRONG_PIN = '86427531';

async function typeInto(field: Locator, value: string): Promise<void> {
  await field.click();
  await field.pressSequentially(value);
}

/** Opens on the activation-code dialog of this key, types `code`, presses submit. */
export async function enterCode(
  ui: CompanionPage,
  serial: string,
  code: string,
  typed: string[],
): Promise<Locator> {
  typed.push(code);
  const dialog = await ui.dialog(serial, 'activationCode');
  await typeInto(dialog.locator('[data-testid="activation-code-input"]'), code);
  await dialog.locator('[data-testid="prompt-submit"]').click();
  return dialog;
}

export async function enterNewPin(
  ui: CompanionPage,
  serial: string,
  pin: string,
  typed: string[],
): Promise<void> {
  typed.push(pin);
  const dialog = await ui.dialog(serial, 'newPin');
  await typeInto(dialog.locator('[data-testid="new-pin-input"]'), pin);
  await typeInto(dialog.locator('[data-testid="confirm-pin-input"]'), pin);
  await dialog.locator('[data-testid="prompt-submit"]').click();
}

export async function enterPin(
  ui: CompanionPage,
  serial: string,
  pin: string,
  typed: string[],
): Promise<Locator> {
  typed.push(pin);
  const dialog = await ui.dialog(serial, 'pin');
  await typeInto(dialog.locator('[data-testid="pin-input"]'), pin);
  await dialog.locator('[data-testid="prompt-submit"]').click();
  return dialog;
}

/** The dialog's attempts-left line, once it shows `n`. */
export async function attemptsLeft(dialog: Locator, n: number): Promise<Locator> {
  const line = dialog.locator(`[data-testid="attempts-left"][data-attempts="${n}"]`);
  await line.waitFor({ state: 'visible' });
  return line;
}

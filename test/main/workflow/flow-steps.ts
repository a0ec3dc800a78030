// Steps of a key's flow that the workflow scenarios share, each command through the IPC
// router as the renderer sends it: the activation code sent, and a key taken online with
// its first PIN chosen at the flow's prompt.
import { expect } from 'vitest';
import type { KeySnapshot } from '../../../shared/ipc/snapshot';
import { settled, type IpcRig } from './ipc-rig';

/** The key reserved, its flow started, and the activation code it asks for sent and taken. */
export async function sendActivationCode(rig: IpcRig, serial: string): Promise<void> {
  const code = rig.reserve(serial);
  rig.devices.start();
  await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
  expect((await rig.call('submitActivationCode', serial, code)).ok).toBe(true);
}

/**
 * With a profile that asks for a PIN: the key activated, `pin` chosen at the new-PIN prompt
 * (kept as typed, for the secrets scan), entered too if the key then asks for it, and the
 * key online. Resolves with the key as the new-PIN prompt showed it.
 */
export async function onlineWithFirstPin(
  rig: IpcRig,
  serial: string,
  pin: string,
): Promise<KeySnapshot> {
  await sendActivationCode(rig, serial);
  const asked = await rig.until(serial, (k) => k.step === 'awaitingNewPin');
  rig.typed.push(pin);
  expect((await rig.call('submitNewPin', serial, pin, pin)).ok).toBe(true);
  const key = await rig.until(serial, (k) => settled(k) || k.step === 'awaitingPin');
  if (key.step === 'awaitingPin') await rig.call('submitPin', serial, pin);
  expect((await rig.until(serial, settled)).step).toBe('online');
  return asked;
}

// AuthHwVault (the server's CheckPassphrase through /deviceHub) runs only for a key that
// asks for its master key (hideez-client-behaviour.md §1.5), not at every connection.
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowStep } from '../../../shared/ipc/snapshot';
import { KEY_FAMILIES, type KeyFamily } from './companion-rig';
import { settled, startWithReservedKey, type IpcRig } from './ipc-rig';

let c: IpcRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const stepsOf = (rig: IpcRig, serial: string): FlowStep[] =>
  rig.snapshots.flatMap((s) => s.keys.filter((k) => k.serialNo === serial).map((k) => k.step));

async function activateAndReplug(
  masterKeyConnection: boolean,
  family: KeyFamily,
): Promise<{ rig: IpcRig; serial: string }> {
  const { rig, serial, code } = await startWithReservedKey(family);
  c = rig;
  rig.profile({ masterKeyConnection });
  rig.devices.start();
  await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
  await rig.call('submitActivationCode', serial, code);
  expect((await rig.until(serial, settled)).step).toBe('online');
  await rig.unplug(serial);
  rig.snapshots.length = 0;
  await rig.plug(serial);
  expect((await rig.until(serial, settled)).step).toBe('online');
  return { rig, serial };
}

describe.each(KEY_FAMILIES)('master-key authorization (%s keys)', (family) => {
  it('a profile that wants the master key at connection: the flow authorizes the key through the server', async () => {
    const { rig, serial } = await activateAndReplug(true, family);
    expect(stepsOf(rig, serial)).toContain('authorizing');
    // The key's own flag is satisfied for this connection.
    const info = rig.devices.key(serial)?.info;
    expect(info?.access.masterKeyRequired).toBe(false);
  });

  it('a profile that does not: no AuthHwVault, no /deviceHub round trip at connection', async () => {
    const { rig, serial } = await activateAndReplug(false, family);
    expect(stepsOf(rig, serial)).not.toContain('authorizing');
  });
});

// The licence step through the IPC router, with the real key, stand-in and client
// (hideez-client-behaviour.md §1.4): new licences when the server says NeedUpdateLicense,
// every current one for a blank key, an explicit slot for a locked key, each reported
// applied; offline the step waits for the next connection.
import { afterEach, describe, expect, it } from 'vitest';
import { settled, startIpcRig, startWithReservedKey, type IpcRig } from './ipc-rig';
import { KEY_FAMILIES } from './companion-rig';

let c: IpcRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const blob = (n: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => (i + n) & 0xff);

async function replug(rig: IpcRig, serial: string): Promise<void> {
  await rig.unplug(serial);
  await rig.plug(serial);
}

describe.each(KEY_FAMILIES)('licences (%s keys)', (family) => {
  it('a licence added for an Active key is loaded at its next connection and reported applied', async () => {
    const { rig, serial, code } = await startWithReservedKey(family);
    c = rig;
    rig.devices.start();
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    await rig.call('submitActivationCode', serial, code);
    expect((await rig.until(serial, settled)).step).toBe('online');
    // The key boots a new firmware object from its file at each plug: read it fresh.
    const firmware = {
      get state() {
        return rig.keyOf(serial).firmware.state;
      },
    };
    expect(firmware.state.licenses.every((l) => l === null)).toBe(true);

    const standIn = rig.rig.server.standIn;
    const added = standIn.addLicense(serial, {
      endDate: '2099-12-31T00:00:00.000Z',
      data: blob(1),
    });
    await replug(rig, serial);
    expect((await rig.until(serial, settled)).step).toBe('online');
    expect(firmware.state.licenses[0]).toBe(base64(blob(1)));
    expect(standIn.licenses(serial).map((l) => [l.id, typeof l.appliedAt])).toEqual([
      [added.id, 'string'],
    ]);
    // HES never clears HasNewLicense in HwVaultLicenseApplied (fidelity row 6.4): the server
    // keeps saying there is a new licence, and its list is empty.
    expect(rig.rig.db.vaults.get(serial)?.hasNewLicense).toBe(true);

    // Nothing new: the next connection asks, gets an empty list, loads nothing more.
    await replug(rig, serial);
    expect((await rig.until(serial, settled)).step).toBe('online');
    expect(firmware.state.licenses.filter((l) => l !== null)).toHaveLength(1);
    await rig.scan();
  });

  it('a blank key gets every current licence before it is linked', async () => {
    const { rig, serial, code } = await startWithReservedKey(family);
    c = rig;
    const standIn = rig.rig.server.standIn;
    standIn.addLicense(serial, { endDate: '2001-01-01T00:00:00.000Z', data: blob(1) });
    standIn.addLicense(serial, { endDate: '2099-01-01T00:00:00.000Z', data: blob(2) });
    rig.devices.start();
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    // The key boots a new firmware object from its file at each plug: read it fresh.
    const firmware = {
      get state() {
        return rig.keyOf(serial).firmware.state;
      },
    };
    // The expired one stays on the server.
    expect(firmware.state.licenses.filter((l) => l !== null)).toEqual([base64(blob(2))]);
    await rig.call('submitActivationCode', serial, code);
    expect((await rig.until(serial, settled)).step).toBe('online');
  });

  it('a linked key still locked by its activation code gets a new licence in an explicit slot', async () => {
    const { rig, serial, code } = await startWithReservedKey(family);
    c = rig;
    rig.devices.start();
    // Linked by the server, waiting for the first code: locked by code, status Reserved.
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    await rig.call('cancelPrompt', serial);
    await rig.until(serial, (k) => k.step === 'stopped');
    const standIn = rig.rig.server.standIn;
    const added = standIn.addLicense(serial, { data: blob(3) });
    expect(await rig.call('retryKey', serial)).toEqual({ ok: true, value: null });
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    // The first-free form is refused while locked; slot 0 was named instead.
    expect(rig.keyOf(serial).firmware.state.licenses[0]).toBe(base64(blob(3)));
    expect(standIn.licenses(serial).map((l) => [l.id, typeof l.appliedAt])).toEqual([
      [added.id, 'string'],
    ]);
    await rig.call('submitActivationCode', serial, code);
    expect((await rig.until(serial, settled)).step).toBe('online');
  });

  it('with the server away the key goes online without the licence, and gets it when the server is back', async () => {
    c = await startIpcRig(1, family);
    const rig = c;
    const [serial = ''] = rig.serials;
    const code = rig.reserve(serial);
    rig.devices.start();
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    await rig.call('submitActivationCode', serial, code);
    expect((await rig.until(serial, settled)).step).toBe('online');
    const standIn = rig.rig.server.standIn;
    standIn.addLicense(serial, { data: blob(4) });
    await rig.rig.kill();
    await rig.untilServer('offline');
    await replug(rig, serial);
    await rig.until(serial, settled);
    // The key boots a new firmware object from its file at each plug: read it fresh.
    const firmware = {
      get state() {
        return rig.keyOf(serial).firmware.state;
      },
    };
    expect(firmware.state.licenses.every((l) => l === null)).toBe(true);
    await rig.rig.restart();
    await rig.untilServer('connected');
    // Back online, the companion reports the key again (resync) and the licence follows.
    await rig.until(serial, () => firmware.state.licenses[0] === base64(blob(4)));
    expect((await rig.until(serial, settled)).step).toBe('online');
  });
});

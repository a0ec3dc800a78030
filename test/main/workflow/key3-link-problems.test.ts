// What the user sees when a Hideez Key 3 is found but cannot be used, through the IPC router
// over the real service, discoveries and stand-in: a key that wants Bluetooth pairing gets a
// card (known by its address) that says to press its button, and after pairing mode and
// "Try again" it opens and activates; a key that fails the vendor's authenticity check is
// shown as such and nothing is ever asked of it.
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_VENDOR_PUBLIC_KEY } from '../../../device/key3/crypto/vendor-keys';
import { settled, startIpcRig, type IpcRig } from './ipc-rig';

let c: IpcRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const macOf = (rig: IpcRig): string => (rig.keys[0]?.state.provisioning.mac ?? '').toUpperCase();

describe('a Key 3 that cannot be opened', () => {
  it('wants pairing: the card says to press its button; after pairing mode and Try again it activates', async () => {
    c = await startIpcRig(1, 'key3', { key: { key3: { pairingRequired: true } } });
    const rig = c;
    const [serial = ''] = rig.serials;
    const mac = macOf(rig);
    const code = rig.reserve(serial);
    rig.devices.start();
    const card = await rig.until(mac, (k) => k.view.kind === 'pairingRequired');
    expect(card.view).toMatchObject({ severity: 'warning', actions: ['retry'] });
    expect(rig.notices.some((n) => n.serialNo === mac && n.kind === 'pairingRequired')).toBe(true);
    // Nothing about the key is known yet, so no serial card exists.
    expect(rig.key(serial)).toBeUndefined();

    rig.keys[0]?.key3.enterPairingMode();
    expect(await rig.call('retryKey', mac)).toEqual({ ok: true, value: null });
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    await rig.call('submitActivationCode', serial, code);
    expect((await rig.until(serial, settled)).step).toBe('online');
    // The provisional card went away once the key named itself.
    expect(rig.service.snapshot().keys.map((k) => k.serialNo)).toEqual([serial]);
    await rig.scan();
  });

  it('fails the authenticity check: shown as not genuine, never read, never reported', async () => {
    c = await startIpcRig(1, 'key3', { vendorPublicKey: REAL_VENDOR_PUBLIC_KEY });
    const rig = c;
    const [serial = ''] = rig.serials;
    const mac = macOf(rig);
    rig.devices.start();
    const card = await rig.until(mac, (k) => k.view.kind === 'notGenuine');
    expect(card.view).toMatchObject({ severity: 'error' });
    expect(card.battery).toBeUndefined();
    expect(rig.key(serial)).toBeUndefined();
    // The server never heard of it from this workstation.
    expect(rig.rig.db.vaults.get(serial)?.lastSynced).toBeNull();
    await rig.scan();
  });
});

// Keys of both families at once, through the IPC router over the real service, stand-in and
// discoveries: two open-protocol keys on USB and two Hideez Key 3s on Bluetooth activate in
// parallel, each with its own code and PIN, and the workflow and snapshots never tell the
// families apart beyond the key's own model name.
import { afterEach, describe, expect, it } from 'vitest';
import { VaultStatus } from '../../../shared/vault/vault-status';
import { settled, startIpcRig, type IpcRig } from './ipc-rig';

let c: IpcRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe('keys of both families at once', () => {
  it('two open-protocol keys and two Key 3s activate in parallel; unplugging one leaves the others', async () => {
    c = await startIpcRig(2, 'mixed');
    const rig = c;
    rig.profile({ pinConnection: true });
    const serials = rig.serials;
    expect(serials).toHaveLength(4);
    const codes = new Map(serials.map((s) => [s, rig.reserve(s)]));
    rig.devices.start();
    await Promise.all(serials.map((s) => rig.until(s, (k) => k.step === 'awaitingActivationCode')));
    // Every code goes to its own key, all at once.
    const answers = await Promise.all(
      serials.map((s) => rig.call('submitActivationCode', s, codes.get(s))),
    );
    expect(answers.every((a) => a.ok)).toBe(true);
    await Promise.all(serials.map((s) => rig.until(s, (k) => k.step === 'awaitingNewPin')));
    const pins = serials.map((_, i) => `2468135${i}`);
    rig.typed.push(...pins);
    await Promise.all(
      serials.map((s, i) => rig.call('submitNewPin', s, pins[i] ?? '', pins[i] ?? '')),
    );
    const done = await Promise.all(serials.map((s) => rig.until(s, settled)));
    expect(done.map((k) => k.step)).toEqual(['online', 'online', 'online', 'online']);
    for (const s of serials)
      expect(rig.rig.server.standIn.vaultStatus(s).status).toBe(VaultStatus.Active);
    const families = new Set(rig.keys.map((k) => k.family));
    expect(families).toEqual(new Set(['open', 'key3']));
    const links = new Set(done.map((k) => k.link));
    expect(links).toEqual(new Set(['usb', 'ble']));

    // One Key 3 goes away; every other key stays online.
    const key3 = rig.keys.find((k) => k.family === 'key3');
    if (!key3) throw new Error('no Key 3');
    const gone = key3.serialNo;
    await rig.unplug(gone);
    for (const s of serials.filter((x) => x !== gone)) expect(rig.key(s)?.step).toBe('online');
    await rig.plug(gone);
    const back = await rig.until(gone, (k) => k.step === 'awaitingPin' || settled(k));
    expect(back.step).toBe('awaitingPin');
    await rig.scan();
  });
});

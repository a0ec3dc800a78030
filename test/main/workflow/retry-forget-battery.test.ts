// The view's 'retry' and 'removeKey' actions and the low-battery notice, through the
// IPC router with the real key, stand-in and HES client.
import { afterEach, describe, expect, it } from 'vitest';
import { LOW_BATTERY_PERCENT } from '../../../shared/key/battery';
import { settled, startIpcRig, startWithReservedKey, type IpcRig } from './ipc-rig';
import { KEY_FAMILIES } from './companion-rig';

let c: IpcRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe.each(KEY_FAMILIES)('retry (%s keys)', (family) => {
  it('after the user cancels the code prompt, retry runs the flow again and asks for the code', async () => {
    const { rig, serial, code } = await startWithReservedKey(family);
    c = rig;
    rig.devices.start();
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    expect(await rig.call('cancelPrompt', serial)).toEqual({ ok: true, value: null });
    const stopped = await rig.until(serial, (k) => k.step === 'stopped');
    expect(stopped.error?.code).toBe('WORKFLOW_CANCELLED_BY_USER');

    expect(await rig.call('retryKey', serial)).toEqual({ ok: true, value: null });
    const asked = await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    expect(asked.error).toBeUndefined();
    expect(asked.prompt).toMatchObject({ kind: 'activationCode', attemptsRemain: 3 });
    await rig.call('submitActivationCode', serial, code);
    expect((await rig.until(serial, settled)).step).toBe('online');
    await rig.scan();
  });

  it('is refused while the flow runs, for a disconnected key and for an unknown key', async () => {
    const { rig, serial } = await startWithReservedKey(family);
    c = rig;
    rig.devices.start();
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    const busy = await rig.call('retryKey', serial);
    expect(busy).toMatchObject({ ok: false, error: { code: 'WORKFLOW_KEY_BUSY' } });
    expect(rig.key(serial)?.step).toBe('awaitingActivationCode');

    await rig.unplug(serial);
    const gone = await rig.call('retryKey', serial);
    expect(gone).toMatchObject({ ok: false, error: { code: 'WORKFLOW_DISCONNECTED' } });
    const unknown = await rig.call('retryKey', 'ST0000000000000');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'WORKFLOW_UNKNOWN_KEY' } });
  });

  it('with the server down and back, retry leaves the key settled and connected', async () => {
    c = await startIpcRig(1, family);
    const rig = c;
    const [serial = ''] = rig.serials;
    rig.devices.start();
    await rig.until(serial, settled);
    await rig.rig.kill();
    await rig.untilServer('offline');
    await rig.rig.restart();
    // That retry skips the back-off is the HES client's test (registration.test.ts).
    await rig.call('retryKey', serial);
    await rig.untilServer('connected');
    expect((await rig.until(serial, settled)).connection).toBe('connected');
  });
});

describe.each(KEY_FAMILIES)('forgetting a key (%s keys)', (family) => {
  it('is refused while the key is connected, and removes the card and its history once it is gone', async () => {
    const { rig, serial, code } = await startWithReservedKey(family);
    c = rig;
    rig.devices.start();
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    await rig.call('submitActivationCode', serial, code);
    const online = await rig.until(serial, settled);
    expect(online.history.length).toBeGreaterThan(0);

    const refused = await rig.call('forgetKey', serial);
    expect(refused).toMatchObject({ ok: false, error: { code: 'WORKFLOW_KEY_CONNECTED' } });

    await rig.unplug(serial);
    expect(await rig.call('forgetKey', serial)).toEqual({ ok: true, value: null });
    expect(rig.key(serial)).toBeUndefined();
    await rig.service.ready();
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(rig.historyFile, 'utf8')).not.toContain(serial);
    await rig.scan();
  });
});

describe.each(KEY_FAMILIES)('low battery (%s keys)', (family) => {
  it('one notice when the battery falls to the line, none while it stays low, another after a recharge', async () => {
    c = await startIpcRig(1, family);
    const rig = c;
    const [serial = ''] = rig.serials;
    rig.devices.start();
    await rig.until(serial, settled);
    const firmware = rig.keyOf(serial).firmware;
    const lowNotices = (): number =>
      rig.notices.filter((n) => n.serialNo === serial && n.kind === 'lowBattery').length;
    expect(lowNotices()).toBe(0);

    await firmware.setBattery(LOW_BATTERY_PERCENT + 1);
    await rig.until(serial, (k) => k.battery === LOW_BATTERY_PERCENT + 1);
    expect(lowNotices()).toBe(0);

    await firmware.setBattery(LOW_BATTERY_PERCENT);
    await rig.until(serial, (k) => k.battery === LOW_BATTERY_PERCENT);
    expect(lowNotices()).toBe(1);
    expect(rig.notices.find((n) => n.kind === 'lowBattery')?.severity).toBe('warning');

    await firmware.setBattery(10);
    await rig.until(serial, (k) => k.battery === 10);
    expect(lowNotices()).toBe(1);

    await firmware.setBattery(90);
    await rig.until(serial, (k) => k.battery === 90);
    await firmware.setBattery(20);
    await rig.until(serial, (k) => k.battery === 20);
    expect(lowNotices()).toBe(2);
  });
});

// PIN and button through the IPC router over the real service, key and stand-in: input
// errors never reach the key, wrong PINs show the attempts left, changePin proves the old
// PIN, and the button confirms or (long press) cancels.
import { afterEach, describe, expect, it } from 'vitest';
import { KeyOp } from '../../../device/key/key-operations';
import type { KeyInfo } from '../../../shared/key/key-info';
import { KEY_FAMILIES } from './companion-rig';
import { settled, startIpcRig, type IpcRig } from './ipc-rig';

let c: IpcRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

async function keyInfo(rig: IpcRig, serial: string): Promise<KeyInfo> {
  const response = await rig.devices.request(serial, { op: KeyOp.ReadInfo }, { timeoutMs: 5000 });
  if (!('info' in response)) throw new Error('no info');
  return response.info;
}

async function activate(rig: IpcRig, serial: string): Promise<void> {
  const code = rig.reserve(serial);
  rig.devices.start();
  await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
  expect((await rig.call('submitActivationCode', serial, code)).ok).toBe(true);
}

/** Activates with a PIN profile and sets `pin`; resolves once the key is online. */
async function withPin(rig: IpcRig, serial: string, pin: string): Promise<void> {
  rig.profile({ pinConnection: true, pinTryCount: 5 });
  await activate(rig, serial);
  await rig.until(serial, (k) => k.step === 'awaitingNewPin');
  rig.typed.push(pin);
  expect(await rig.call('submitNewPin', serial, pin, pin)).toEqual({ ok: true, value: null });
  const key = await rig.until(serial, (k) => settled(k) || k.step === 'awaitingPin');
  if (key.step === 'awaitingPin') await rig.call('submitPin', serial, pin);
  expect((await rig.until(serial, settled)).step).toBe('online');
}

const nextButtonWait = async (rig: IpcRig, serial: string): Promise<void> => {
  // A Key 3 has no button command: the prompt on screen is the moment to press.
  if (rig.family === 'key3') return;
  // The open protocol's key has no event for "waiting for the button": yield until its firmware waits.
  const firmware = rig.keyOf(serial).firmware;
  while (!firmware.waitingForButton) await new Promise((r) => setImmediate(r));
};

describe.each(KEY_FAMILIES)('PIN through the IPC router (%s keys)', (family) => {
  it('a new PIN that is too short or does not match is refused before the key', async () => {
    c = await startIpcRig(1, family);
    const rig = c;
    const [serial = ''] = rig.serials;
    rig.profile({ pinConnection: true, pinTryCount: 5 });
    await activate(rig, serial);
    await rig.until(serial, (k) => k.step === 'awaitingNewPin');
    const before = await keyInfo(rig, serial);
    expect(before.access.newPinRequired).toBe(true);

    // Too short to scan files for (timestamps hold any 3 digits): its answer is checked instead.
    rig.typed.push('35791357', '35791358');
    const short = await rig.call('submitNewPin', serial, '357', '357');
    expect(short).toMatchObject({ ok: false, error: { code: 'WORKFLOW_PIN_TOO_SHORT' } });
    expect(JSON.stringify(short)).not.toContain('357');
    expect(rig.key(serial)?.prompt).toMatchObject({ kind: 'newPin', lastResult: 'tooShort' });
    const mismatch = await rig.call('submitNewPin', serial, '35791357', '35791358');
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'WORKFLOW_PIN_MISMATCH' } });
    expect(rig.key(serial)?.prompt).toMatchObject({ kind: 'newPin', lastResult: 'mismatch' });
    const letters = await rig.call('submitNewPin', serial, 'abcd', 'abcd');
    expect(letters.ok).toBe(false);

    const after = await keyInfo(rig, serial);
    expect(after.access.newPinRequired).toBe(true);
    expect(after.pinAttemptsRemain).toBe(before.pinAttemptsRemain);
    expect(rig.key(serial)?.step).toBe('awaitingNewPin');
    await rig.call('submitNewPin', serial, '35791357', '35791357');
    const key = await rig.until(serial, (k) => settled(k) || k.step === 'awaitingPin');
    if (key.step === 'awaitingPin') await rig.call('submitPin', serial, '35791357');
    expect((await rig.until(serial, settled)).step).toBe('online');
    await rig.scan();
  });

  it('a wrong PIN shows the attempts left, the right one goes Online', async () => {
    c = await startIpcRig(1, family);
    const rig = c;
    const [serial = ''] = rig.serials;
    await withPin(rig, serial, '11223344');
    await rig.unplug(serial);
    await rig.plug(serial);
    let key = await rig.until(serial, (k) => k.step === 'awaitingPin');
    expect(key.prompt).toMatchObject({ kind: 'pin', attemptsRemain: 5 });
    rig.typed.push('44332211');
    const from = rig.events.length;
    expect(await rig.call('submitPin', serial, '44332211')).toEqual({ ok: true, value: null });
    // The reply comes after the snapshot that shows what the PIN did: the new prompt is on
    // screen before the dialog hears its answer.
    const shown = rig.events
      .flatMap((e) => (e.name === 'snapshot' ? e.payload.keys : []))
      .filter((k) => k.serialNo === serial)
      .at(-1);
    expect(shown?.prompt).toMatchObject({ attemptsRemain: 4, lastResult: 'wrong' });
    key = await rig.until(
      serial,
      (k) => k.prompt?.kind === 'pin' && k.prompt.lastResult === 'wrong',
    );
    expect(key.prompt).toMatchObject({ attemptsRemain: 4, lastResult: 'wrong' });
    // The wrong PIN's answer carries the attempts left: the prompt saying so comes with it,
    // with no read and no snapshot of its own between them (the key's lock event may show
    // the count going down a moment before).
    const steps = rig.events
      .slice(from)
      .flatMap((e) => (e.name === 'snapshot' ? e.payload.keys : []))
      .filter((k) => k.serialNo === serial)
      .map((k) => k.step);
    const checking = steps.slice(steps.indexOf('verifyingPin'), steps.indexOf('awaitingPin'));
    expect(checking.length).toBeGreaterThan(0);
    expect(checking.length).toBeLessThanOrEqual(2);
    expect(new Set(checking)).toEqual(new Set(['verifyingPin']));
    expect(key.view.kind).toBe('pinRequired');
    await rig.call('submitPin', serial, '11223344');
    key = await rig.until(serial, settled);
    expect(key.step).toBe('online');
    expect((await keyInfo(rig, serial)).pinAttemptsRemain).toBe(5);
    await rig.scan();
  });

  it('changePin: a wrong old PIN costs an attempt, the right one sets the new PIN, which works on replug', async () => {
    c = await startIpcRig(1, family);
    const rig = c;
    const [serial = ''] = rig.serials;
    await withPin(rig, serial, '55667788');
    // A 3-digit PIN is not scanned for in the files: any timestamp's milliseconds may hold it.
    // Its answer is checked here instead.
    rig.typed.push('87654321', '12121212');

    const short = await rig.call('changePin', serial, '55667788', '999', '999');
    expect(short).toMatchObject({ ok: false, error: { code: 'WORKFLOW_PIN_TOO_SHORT' } });
    expect(JSON.stringify(short)).not.toContain('999');
    const mismatch = await rig.call('changePin', serial, '55667788', '12121212', '12121213');
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'WORKFLOW_PIN_MISMATCH' } });
    expect((await keyInfo(rig, serial)).pinAttemptsRemain).toBe(5);

    const wrongOld = await rig.call('changePin', serial, '87654321', '12121212', '12121212');
    expect(wrongOld).toMatchObject({ ok: false, error: { code: 'WORKFLOW_PIN_WRONG' } });
    expect((await keyInfo(rig, serial)).pinAttemptsRemain).toBe(4);

    const changed = await rig.call('changePin', serial, '55667788', '12121212', '12121212');
    expect(changed).toEqual({ ok: true, value: null });
    expect((await keyInfo(rig, serial)).pinAttemptsRemain).toBe(5);

    await rig.unplug(serial);
    await rig.plug(serial);
    await rig.until(serial, (k) => k.step === 'awaitingPin');
    await rig.call('submitPin', serial, '55667788');
    let key = await rig.until(
      serial,
      (k) => k.prompt?.kind === 'pin' && k.prompt.lastResult === 'wrong',
    );
    expect(key.prompt).toMatchObject({ attemptsRemain: 4 });
    await rig.call('submitPin', serial, '12121212');
    key = await rig.until(serial, settled);
    expect(key.step).toBe('online');
    await rig.scan();
  });
});

describe.each(KEY_FAMILIES)('the button through the IPC router (%s keys)', (family) => {
  it('a profile that asks for the button: awaitingButton, a press, then Online', async () => {
    c = await startIpcRig(1, family);
    const rig = c;
    const [serial = ''] = rig.serials;
    rig.profile({ buttonConnection: true });
    await activate(rig, serial);
    const key = await rig.until(serial, (k) => k.step === 'awaitingButton');
    expect(key.prompt).toEqual({ kind: 'button' });
    await nextButtonWait(rig, serial);
    rig.keyOf(serial).pressButton();
    const done = await rig.until(serial, settled);
    expect(done.step).toBe('online');
    expect(done.prompt).toBeUndefined();
    expect(done.view.kind).toBe('active');
    await rig.scan();
  });

  it('a long press cancels: stopped with a clear reason and no prompt; a replug asks again', async () => {
    c = await startIpcRig(1, family);
    const rig = c;
    const [serial = ''] = rig.serials;
    rig.profile({ buttonConnection: true });
    await activate(rig, serial);
    await rig.until(serial, (k) => k.step === 'awaitingButton');
    await nextButtonWait(rig, serial);
    rig.keyOf(serial).longPress();
    const key = await rig.until(serial, settled);
    expect(key.step).toBe('stopped');
    expect(key.error?.code).toBe('WORKFLOW_CANCELLED_ON_KEY');
    expect(key.prompt).toBeUndefined();
    expect(key.connection).toBe('connected');
    expect(key.view.kind).toBe('buttonRequired');

    await rig.unplug(serial);
    await rig.plug(serial);
    await rig.until(serial, (k) => k.step === 'awaitingButton');
    await nextButtonWait(rig, serial);
    rig.keyOf(serial).pressButton();
    expect((await rig.until(serial, settled)).step).toBe('online');
    await rig.scan();
  });
});

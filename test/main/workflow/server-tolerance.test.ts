// What a real HES may do that the stand-in never does (issue 15 §4): a code the companion
// never saw, null data, fields it does not know, a server call it does not know, a slow or
// silent server. Each gives the user a clear state and the log a line; nothing crashes, no
// spinner is left turning, and the key's pairing is kept.
import { afterEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../hes/hes-test-server';
import { startScriptedRig, type ScriptedRig } from './scripted-server-rig';

let rig: ScriptedRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** HES's info for a blank key reserved for Ann, with whatever else the test adds. */
const info = (serial: string, extra: Record<string, unknown> = {}) => ({
  ownerName: 'Ann Lee',
  ownerEmail: 'ann@corp.example',
  vaultMac: '00:00:00:00:00:01',
  vaultSerialNo: serial,
  vaultRfid: null,
  needUpdateLicense: false,
  needStateUpdate: false,
  needUpdateOSAccounts: false,
  needUpdateNonOSAccounts: false,
  ...extra,
});

describe('the companion tolerates what a real HES does', () => {
  it('a code it never saw: a server error naming the code, a log line, the key kept', async () => {
    rig = await startScriptedRig();
    rig.server.replies.set('UpdateHwVaultProperties', () => fail(4242, 'Something new'));
    await rig.untilServer('connected');
    const key = await rig.until((k) => k.view.kind === 'serverError' && k.step === 'stopped');
    expect(key.view).toMatchObject({ kind: 'serverError', params: { code: 4242 } });
    expect(key.error).toMatchObject({ code: 4242 });
    const line = await rig.untilLog((l) => l.code === 'HES_CALL_FAILED');
    expect(line.message).toContain('UpdateHwVaultProperties failed: 4242');
    expect(rig.service.snapshot().keys.map((k) => k.serialNo)).toEqual([rig.serial]);
  });

  it('null data where the info must be: 619, said as a server error, logged', async () => {
    rig = await startScriptedRig();
    rig.server.replies.set('UpdateHwVaultProperties', () => ok(null));
    await rig.untilServer('connected');
    const key = await rig.until((k) => k.view.kind === 'serverError');
    expect(key.view).toMatchObject({ kind: 'serverError', params: { code: 619 } });
    await rig.untilLog((l) => l.code === 'HES_CALL_FAILED' && l.message.includes('619'));
  });

  it('fields it does not know, a status among them, are ignored', async () => {
    rig = await startScriptedRig();
    const serial = rig.serial;
    rig.server.replies.set('UpdateHwVaultProperties', () =>
      ok(info(serial, { status: 'Compromised', somethingNew: { a: 1 } })),
    );
    // A blank key HES answered Ok about, with no status update asked: it waits for HES.
    const key = await rig.until((k) => k.view.kind === 'notAssigned');
    expect(key.serverStatus).toBeUndefined();
    expect(rig.log.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('a server call it does not know: a log line, and the connection goes on', async () => {
    rig = await startScriptedRig();
    await rig.untilServer('connected');
    rig.server.appCaller().send('SomethingNewFromHes', 1, 'two');
    const line = await rig.untilLog((l) => l.code.startsWith('SIGNALR_'));
    expect(line.message.toLowerCase()).toContain('somethingnewfromhes');
    rig.server.appCaller().send('UpdateRFIDIndicatorState', true);
    await rig.untilLog((l) => l.code === 'HES_RFID');
    expect(rig.hes.state.state).toBe('connected');
  });

  it('a silent server: the call times out, the user is told, the key kept, and it is logged', async () => {
    rig = await startScriptedRig({ callTimeoutMs: 300 });
    rig.server.replies.set('UpdateHwVaultProperties', () => new Promise(() => undefined));
    const key = await rig.until((k) => k.step !== 'reporting' && k.step !== 'reading');
    expect(key.view.kind).not.toBe('checking');
    await rig.untilLog((l) => l.code === 'HES_CALL_FAILED' && l.message.includes('timeout'));
    expect(rig.service.snapshot().keys.map((k) => k.serialNo)).toEqual([rig.serial]);
  });
});

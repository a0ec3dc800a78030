// The first PIN and the PIN change on an online key, through the IPC router over the real
// service, keys and stand-in: a key without a PIN whose profile does not ask for one is
// offered Set PIN (an open-protocol key says it has no PIN; a Key 3 does not say, and is
// taught by its own answer to a change); a profile that asks for one prompts during the
// flow; a change with a wrong current PIN answers the attempts left at once, down to the
// lock-out, which is reported.
import { describe, expect, it } from 'vitest';
import { closedAfterEach, KEY_FAMILIES } from './companion-rig';
import { onlineWithFirstPin, sendActivationCode } from './flow-steps';
import { settled, startIpcRig } from './ipc-rig';

const closedAfterTest = closedAfterEach();

describe.each(KEY_FAMILIES)('Set PIN and Change PIN (%s keys)', (family) => {
  it('a key without a PIN, its profile not asking for one: Set PIN, then Change PIN', async () => {
    const rig = closedAfterTest(await startIpcRig(1, family));
    const [serial = ''] = rig.serials;
    rig.profile({ pinConnection: false, pinTryCount: 3 });
    await sendActivationCode(rig, serial);
    expect((await rig.until(serial, settled)).step).toBe('online');
    rig.typed.push('24682468', '13571357', '97539753');

    if (family === 'open') {
      // The key says it holds no PIN.
      expect(rig.key(serial)?.pin).toBe('notSet');
    } else {
      // A Key 3 does not say: Change PIN is offered, and the key's answer teaches the rest
      // without costing an attempt.
      expect(rig.key(serial)?.pin).toBeUndefined();
      const change = await rig.call('changePin', serial, '97539753', '24682468', '24682468');
      expect(change).toMatchObject({ ok: false, error: { code: 'WORKFLOW_PIN_NOT_SET' } });
      expect(rig.key(serial)?.pin).toBe('notSet');
    }
    const mismatch = await rig.call('setPin', serial, '24682468', '24682469');
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'WORKFLOW_PIN_MISMATCH' } });
    expect(await rig.call('setPin', serial, '24682468', '24682468')).toEqual({
      ok: true,
      value: null,
    });
    expect(rig.key(serial)?.pin).toBe('set');
    // A second first PIN is refused by the key: no attempt spent.
    const again = await rig.call('setPin', serial, '13571357', '13571357');
    expect(again).toMatchObject({ ok: false, error: { code: 'WORKFLOW_PIN_ALREADY_SET' } });
    expect(rig.keyOf(serial).firmware.info().pinAttemptsRemain).toBe(3);
    expect(await rig.call('changePin', serial, '24682468', '13571357', '13571357')).toEqual({
      ok: true,
      value: null,
    });

    // Wrong current PINs: each answer carries the attempts left, the last one locks the key.
    const first = await rig.call('changePin', serial, '97539753', '24682468', '24682468');
    expect(first).toMatchObject({
      ok: false,
      error: { code: 'WORKFLOW_PIN_WRONG', attemptsRemain: 2 },
    });
    const second = await rig.call('changePin', serial, '97539753', '24682468', '24682468');
    expect(second).toMatchObject({ error: { code: 'WORKFLOW_PIN_WRONG', attemptsRemain: 1 } });
    const last = await rig.call('changePin', serial, '97539753', '24682468', '24682468');
    expect(last).toMatchObject({ error: { code: 'WORKFLOW_LOCKED_BY_PIN', attemptsRemain: 0 } });
    const locked = await rig.until(serial, (k) => k.view.kind === 'lockedByPin' && settled(k));
    expect(locked.step).toBe('stopped');
    await rig.scan();
  });

  it('a profile that asks for a PIN: the flow prompts for the first one, then Change PIN', async () => {
    const rig = closedAfterTest(await startIpcRig(1, family));
    const [serial = ''] = rig.serials;
    rig.profile({ pinConnection: true, pinTryCount: 5 });
    const asked = await onlineWithFirstPin(rig, serial, '86428642');
    expect(asked.pin).toBe('notSet');
    expect(rig.key(serial)?.pin).toBe('set');
    await rig.scan();
  });
});

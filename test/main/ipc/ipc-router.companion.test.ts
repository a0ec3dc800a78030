// The router over the real CompanionService (Helper W's), wired as production wires
// it: HES stand-in, real HES client, DeviceManager over virtual USB keys.
import { afterEach, describe, expect, it } from 'vitest';
import { createIpcRouter } from '../../../main/ipc/ipc-router';
import { EVENTS, type IpcEvent } from '../../../shared/ipc/contract';
import { startCompanionRig, type CompanionRig } from '../workflow/companion-rig';

let c: CompanionRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe('the router over the real companion service', () => {
  it('refuses a short code before the key, accepts the right one, and every event is well-formed', async () => {
    c = await startCompanionRig(1);
    const rig = c;
    const [serial = ''] = rig.serials;
    const router = createIpcRouter(rig.service);
    const events: IpcEvent[] = [];
    router.onEvent((e) => events.push(e));
    const code = rig.reserve(serial);
    rig.devices.start();

    let key = await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    expect(key.prompt).toMatchObject({ kind: 'activationCode', attemptsRemain: 3 });

    const short = code.slice(0, 5);
    rig.typed.push(short);
    const refused = await router.handle('submitActivationCode', [serial, short]);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INPUT_CODE_TOO_SHORT' } });
    expect(rig.key(serial)?.prompt).toMatchObject({ kind: 'activationCode', attemptsRemain: 3 });

    expect(await router.handle('submitActivationCode', [serial, code])).toEqual({
      ok: true,
      value: null,
    });
    key = await rig.until(
      serial,
      (k) => k.step !== 'awaitingActivationCode' && k.step !== 'verifyingCode',
    );
    expect(key.prompt?.kind).not.toBe('activationCode');

    const snapshot = await router.handle('getSnapshot', []);
    expect(snapshot.ok && EVENTS.snapshot.safeParse(snapshot.value).success).toBe(true);
    expect(events.some((e) => e.name === 'snapshot')).toBe(true);
    for (const e of events) expect(EVENTS[e.name].safeParse(e.payload).success).toBe(true);
    const text = JSON.stringify([events, refused, snapshot]);
    for (const secret of rig.typed) expect(text.includes(secret)).toBe(false);
    router.dispose();
  });
});

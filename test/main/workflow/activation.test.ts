import { afterEach, describe, expect, it } from 'vitest';
import { KeyOp } from '../../../device/key/key-operations';
import { Command } from '../../../device/protocol/messages';
import { VaultStatus } from '../../../shared/vault/vault-status';
import { KEY_FAMILIES, startCompanionRig, type CompanionRig } from './companion-rig';

let c: CompanionRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const wrongCode = (code: string): string => (code === '000000' ? '111111' : '000000');

describe.each(KEY_FAMILIES)(
  'first activation through the companion service (%s keys)',
  (family) => {
    it('a wrong code shows the attempts left, the right one activates the key, a PIN is set and the key goes Online', async () => {
      c = await startCompanionRig(1, { family });
      const [serial = ''] = c.serials;
      c.profile({ pinConnection: true });
      const code = c.reserve(serial);
      c.devices.start();

      let key = await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      expect(key.prompt).toEqual({
        kind: 'activationCode',
        attemptsRemain: 3,
        reason: 'firstActivation',
      });
      expect(key.view.kind).toBe('awaitingActivation');

      const wrong = wrongCode(code);
      c.typed.push(wrong);
      expect(await c.service.submitActivationCode(serial, wrong)).toEqual({
        ok: true,
        value: null,
      });
      key = await c.until(
        serial,
        (k) => k.prompt?.kind === 'activationCode' && k.prompt.lastResult === 'wrong',
      );
      expect(key.prompt).toMatchObject({ attemptsRemain: 2, lastResult: 'wrong' });

      await c.service.submitActivationCode(serial, code);
      key = await c.until(serial, (k) => k.step === 'awaitingNewPin');
      expect(c.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      expect(key.prompt).toMatchObject({ kind: 'newPin', minLength: 4, maxLength: 8 });

      c.typed.push('24681357', '2468');
      const mismatch = await c.service.submitNewPin(serial, '24681357', '24681358');
      expect(mismatch.ok).toBe(false);
      expect(
        (
          await c.until(
            serial,
            (k) => k.prompt?.kind === 'newPin' && k.prompt.lastResult === 'mismatch',
          )
        ).step,
      ).toBe('awaitingNewPin');
      expect((await c.service.submitNewPin(serial, '24681357', '24681357')).ok).toBe(true);

      key = await c.until(
        serial,
        (k) => k.step === 'online' || k.step === 'awaitingPin' || k.step === 'stopped',
      );
      if (key.step === 'awaitingPin') {
        await c.service.submitPin(serial, '24681357');
        key = await c.until(serial, (k) => k.step === 'online' || k.step === 'stopped');
      }
      expect(key.step).toBe('online');
      expect(key.view.kind).toBe('active');
      expect(key.serverStatus).toBe(VaultStatus.Active);
      expect(key.history.map((h) => h.to)).toContain(VaultStatus.Active);
    });

    it('three wrong codes lock the key: the server moves it to Locked and the user is told', async () => {
      c = await startCompanionRig(1);
      const [serial = ''] = c.serials;
      const code = c.reserve(serial);
      c.devices.start();
      const wrong = wrongCode(code);
      c.typed.push(wrong);
      for (let i = 0; i < 3; i++) {
        await c.until(serial, (k) => k.step === 'awaitingActivationCode');
        await c.service.submitActivationCode(serial, wrong);
      }
      const key = await c.until(serial, (k) => k.step === 'stopped');
      expect(key.view.kind).toBe('lockedByCode');
      expect(c.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Locked);
      expect(c.notices.some((n) => n.serialNo === serial && n.kind === 'lockedByCode')).toBe(true);
      expect(key.history[0]?.to).toBe(VaultStatus.Locked);
    });

    it('codes of the wrong length cost no attempt and never reach the key', async () => {
      c = await startCompanionRig(1);
      const [serial = ''] = c.serials;
      const code = c.reserve(serial);
      c.devices.start();
      await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      c.typed.push('12345', '123456789');
      const short = await c.service.submitActivationCode(serial, '12345');
      expect(short).toMatchObject({ ok: false, error: { code: 'INPUT_CODE_TOO_SHORT' } });
      const long = await c.service.submitActivationCode(serial, '123456789');
      expect(long).toMatchObject({ ok: false, error: { code: 'INPUT_CODE_TOO_LONG' } });
      const key = c.key(serial);
      expect(key?.prompt).toMatchObject({ attemptsRemain: 3, lastResult: 'tooLong' });
      expect(
        await c.devices.request(serial, { op: KeyOp.ReadInfo }, { timeoutMs: 5000 }),
      ).toMatchObject({
        info: { unlockAttemptsRemain: 3 },
      });
      await c.service.submitActivationCode(serial, code);
      expect((await c.until(serial, (k) => k.step === 'online' || k.step === 'stopped')).step).toBe(
        'online',
      );
    });

    it('the user cancels the prompt: the flow stops with a clear reason, and a reconnect asks again', async () => {
      c = await startCompanionRig(1);
      const [serial = ''] = c.serials;
      c.reserve(serial);
      c.devices.start();
      await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      expect(await c.service.cancelPrompt(serial)).toEqual({ ok: true, value: null });
      const key = await c.until(serial, (k) => k.step === 'stopped');
      expect(key.error?.code).toBe('WORKFLOW_CANCELLED_BY_USER');
      expect(key.prompt).toBeUndefined();
      expect(key.view.kind).toBe('awaitingActivation');
    });
  },
);

describe('a wrong code costs one exchange with the key', () => {
  it('the attempts left come from the wrong-code answer itself: no GetInfo before the prompt says so', async () => {
    c = await startCompanionRig(1);
    const rig = c;
    const [serial = ''] = rig.serials;
    const code = rig.reserve(serial);
    rig.devices.start();
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    // Record what reaches the key's firmware from here on.
    const key = rig.usb.keys.find((k) => k.serialNo === serial);
    if (!key) throw new Error('no key');
    const firmware = key.firmware;
    const seen: number[] = [];
    const handle = firmware.handle.bind(firmware);
    firmware.handle = (request, signal) => {
      seen.push(request.command);
      return handle(request, signal);
    };
    const wrong = wrongCode(code);
    rig.typed.push(wrong);
    await rig.service.submitActivationCode(serial, wrong);
    const asked = await rig.until(
      serial,
      (k) => k.prompt?.kind === 'activationCode' && k.prompt.lastResult === 'wrong',
    );
    expect(asked.prompt).toMatchObject({ attemptsRemain: 2 });
    expect(asked.view).toMatchObject({ kind: 'awaitingActivation', params: { attemptsRemain: 2 } });
    expect(seen).toEqual([Command.UnlockWithCode]);

    // The last wrong code locks: the key's AccessChanged tells the whole lock state with it, so
    // that one is reported without a GetInfo either (docs/protocol.md §6).
    await rig.service.submitActivationCode(serial, wrong);
    await rig.until(
      serial,
      (k) => k.prompt?.kind === 'activationCode' && k.prompt.attemptsRemain === 1,
    );
    await rig.service.submitActivationCode(serial, wrong);
    const locked = await rig.until(serial, (k) => k.step === 'stopped');
    expect(locked.view.kind).toBe('lockedByCode');
    expect(seen.filter((cmd) => cmd === Command.UnlockWithCode)).toHaveLength(3);
    expect(seen).not.toContain(Command.GetInfo);
  });
});

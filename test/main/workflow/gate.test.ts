// The server's gates (alarm, workstation approval) cancel running flows with a clear state
// and the flows resume once the gate opens; two keys run side by side. All through the
// IPC router over the real service, key and stand-in.
import { afterEach, describe, expect, it } from 'vitest';
import { VaultStatus } from '../../../shared/vault/vault-status';
import { settled, startIpcRig, startWithReservedKey, type IpcRig } from './ipc-rig';
import { KEY_FAMILIES } from './companion-rig';

let c: IpcRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe.each(KEY_FAMILIES)(
  'server gates and parallel keys (through the IPC router) (%s keys)',
  (family) => {
    it('the alarm cancels the flow waiting for a code; turning it off asks again', async () => {
      const { rig, serial, code } = await startWithReservedKey(family);
      c = rig;
      rig.devices.start();
      await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
      rig.rig.server.standIn.setAlarm(true);
      let key = await rig.until(serial, (k) => k.step === 'stopped');
      expect(key.error?.code).toBe('WORKFLOW_ALARM');
      expect(key.prompt).toBeUndefined();
      expect((await rig.until(serial, (k) => k.view.kind === 'alarm')).prompt).toBeUndefined();
      expect(rig.notices.some((n) => n.serialNo === serial && n.kind === 'alarm')).toBe(true);
      expect(await rig.call('submitActivationCode', serial, code)).toMatchObject({
        ok: false,
        error: { code: 'WORKFLOW_NO_PROMPT' },
      });

      rig.rig.server.standIn.setAlarm(false);
      await rig.untilServer('connected');
      key = await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
      expect(key.prompt).toMatchObject({ kind: 'activationCode', attemptsRemain: 3 });
      await rig.call('submitActivationCode', serial, code);
      key = await rig.until(serial, settled);
      expect(key.step).toBe('online');
      expect(rig.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      await rig.scan();
    });

    it('unapproving the workstation cancels the flow; approving it again resumes', async () => {
      const { rig, serial, code } = await startWithReservedKey(family);
      c = rig;
      rig.devices.start();
      await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
      rig.rig.server.standIn.unapproveWorkstation(rig.workstationId);
      let key = await rig.until(serial, (k) => k.step === 'stopped');
      expect(key.error?.code).toBe('WORKFLOW_NOT_APPROVED');
      expect(key.prompt).toBeUndefined();
      expect((await rig.until(serial, (k) => k.view.kind === 'notApproved')).step).toBe('stopped');
      expect(rig.notices.some((n) => n.serialNo === serial && n.kind === 'notApproved')).toBe(true);

      rig.rig.server.standIn.approveWorkstation(rig.workstationId);
      await rig.untilServer('connected');
      key = await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
      expect(key.prompt).toMatchObject({ kind: 'activationCode', attemptsRemain: 3 });
      await rig.call('submitActivationCode', serial, code);
      key = await rig.until(serial, settled);
      expect(key.step).toBe('online');
      expect(key.view.kind).toBe('active');
      await rig.scan();
    });

    it('two keys: one waits at its prompt while the other goes Online, then the first finishes', async () => {
      c = await startIpcRig(2, family);
      const rig = c;
      const [a = '', b = ''] = rig.serials;
      const codeA = rig.reserve(a);
      const codeB = rig.reserve(b);
      rig.devices.start();
      await Promise.all([
        rig.until(a, (k) => k.step === 'awaitingActivationCode'),
        rig.until(b, (k) => k.step === 'awaitingActivationCode'),
      ]);
      // A code for one key is never taken by the other.
      expect(await rig.call('submitActivationCode', b, codeB)).toEqual({ ok: true, value: null });
      const keyB = await rig.until(b, settled);
      expect(keyB.step).toBe('online');
      expect(keyB.view.kind).toBe('active');
      const waiting = rig.key(a);
      expect(waiting?.step).toBe('awaitingActivationCode');
      expect(waiting?.prompt).toMatchObject({ kind: 'activationCode', attemptsRemain: 3 });
      expect(rig.rig.server.standIn.vaultStatus(b).status).toBe(VaultStatus.Active);
      expect(rig.rig.server.standIn.vaultStatus(a).status).not.toBe(VaultStatus.Active);

      // Unplugging the online key leaves the waiting one alone.
      await rig.unplug(b);
      expect(rig.key(a)?.prompt).toMatchObject({ kind: 'activationCode' });
      await rig.call('submitActivationCode', a, codeA);
      expect((await rig.until(a, settled)).step).toBe('online');
      expect(rig.rig.server.standIn.vaultStatus(a).status).toBe(VaultStatus.Active);
      await rig.plug(b);
      expect((await rig.until(b, settled)).step).toBe('online');
      await rig.scan();
    });
  },
);

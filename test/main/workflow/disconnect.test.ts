// The key is unplugged at each step of its flow, with every command going through the
// IPC router: the flow ends 'stopped' (WORKFLOW_DISCONNECTED) with no prompt left, and a
// replug resumes at the right next step.
import { describe, expect, it } from 'vitest';
import { KeyOp } from '../../../device/key/key-operations';
import { VaultStatus } from '../../../shared/vault/vault-status';
import { settled, startIpcRig, startWithReservedKey, type IpcRig } from './ipc-rig';
import { closedAfterEach, KEY_FAMILIES } from './companion-rig';
import { onlineWithFirstPin } from './flow-steps';

const closedAfterTest = closedAfterEach();

const stoppedByDisconnect = (k: {
  step: string;
  connection: string;
  prompt?: unknown;
  error?: { code: string | number };
}): void => {
  expect(k.step).toBe('stopped');
  expect(k.connection).not.toBe('connected');
  expect(k.prompt).toBeUndefined();
  expect(k.error?.code).toBe('WORKFLOW_DISCONNECTED');
};

async function finishActivation(rig: IpcRig, serial: string, code: string): Promise<void> {
  const key = await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
  expect(key.prompt).toMatchObject({ kind: 'activationCode', attemptsRemain: 3 });
  expect(await rig.call('submitActivationCode', serial, code)).toEqual({ ok: true, value: null });
  const done = await rig.until(serial, settled);
  expect(done.step).toBe('online');
  expect(done.view.kind).toBe('active');
  expect(rig.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
  expect(done.serverStatus).toBe(VaultStatus.Active);
}

describe.each(KEY_FAMILIES)(
  'unplugging the key at each step (through the IPC router) (%s keys)',
  (family) => {
    it('while reporting: stopped, and the replug reports again and asks for the code', async () => {
      const { rig, serial, code } = await startWithReservedKey(family);
      closedAfterTest(rig);
      rig.atStep(serial, 'reporting', () => rig.unplugKey(rig.keyOf(serial)));
      rig.devices.start();
      stoppedByDisconnect(
        await rig.until(serial, (k) => k.step === 'stopped' && k.connection !== 'connected'),
      );
      await rig.plug(serial);
      await finishActivation(rig, serial, code);
      await rig.scan();
    });

    it('while updating the status (a server command held on its way to the key): stopped, the replug finishes the update', async () => {
      const { rig, serial, code } = await startWithReservedKey(family);
      closedAfterTest(rig);
      const held = rig.holdRelay(serial);
      rig.devices.start();
      const command = await held;
      expect(rig.key(serial)?.step).toBe('updatingStatus');
      const key = await rig.unplug(serial);
      stoppedByDisconnect(key);
      command.release();
      await rig.plug(serial);
      await finishActivation(rig, serial, code);
      await rig.scan();
    });

    it('while awaiting the activation code: the prompt goes away, a late code is refused, the replug asks again', async () => {
      const { rig, serial, code } = await startWithReservedKey(family);
      closedAfterTest(rig);
      rig.devices.start();
      await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
      stoppedByDisconnect(await rig.unplug(serial));
      const late = await rig.call('submitActivationCode', serial, code);
      expect(late).toMatchObject({ ok: false, error: { code: 'WORKFLOW_NO_PROMPT' } });
      await rig.plug(serial);
      await finishActivation(rig, serial, code);
      await rig.scan();
    });

    it('while verifying the code: the code never reaches the key, no attempt is spent, the replug asks again', async () => {
      const { rig, serial, code } = await startWithReservedKey(family);
      closedAfterTest(rig);
      rig.devices.start();
      await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
      rig.atStep(serial, 'verifyingCode', () => rig.unplugKey(rig.keyOf(serial)));
      const submitted = await rig.call('submitActivationCode', serial, code);
      expect(submitted.ok).toBe(true);
      stoppedByDisconnect(
        await rig.until(serial, (k) => k.step === 'stopped' && k.connection !== 'connected'),
      );
      await rig.plug(serial);
      await finishActivation(rig, serial, code);
      await rig.scan();
    });

    it('while awaiting the PIN: the prompt goes away, the replug asks for the PIN with the attempts unchanged', async () => {
      const rig = closedAfterTest(await startIpcRig(1, family));
      const [serial = ''] = rig.serials;
      rig.profile({ pinConnection: true, pinTryCount: 5 });
      await onlineWithFirstPin(rig, serial, '86420975');

      await rig.unplug(serial);
      await rig.plug(serial);
      let key = await rig.until(serial, (k) => k.step === 'awaitingPin');
      expect(key.prompt).toMatchObject({ kind: 'pin', attemptsRemain: 5 });
      stoppedByDisconnect(await rig.unplug(serial));
      expect(await rig.call('submitPin', serial, '86420975')).toMatchObject({
        ok: false,
        error: { code: 'WORKFLOW_NO_PROMPT' },
      });
      await rig.plug(serial);
      key = await rig.until(serial, (k) => k.step === 'awaitingPin');
      expect(key.prompt).toMatchObject({ kind: 'pin', attemptsRemain: 5 });
      await rig.call('submitPin', serial, '86420975');
      key = await rig.until(serial, settled);
      expect(key.step).toBe('online');
      expect(key.view.kind).toBe('active');
      const info = await rig.devices.request(serial, { op: KeyOp.ReadInfo }, { timeoutMs: 5000 });
      expect(info).toMatchObject({ info: { pinAttemptsRemain: 5, lockedByPin: false } });
      await rig.scan();
    });
  },
);

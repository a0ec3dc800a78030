// The HES stand-in is stopped (close) at each step of a key's flow, every command going
// through the IPC router: the key's flow goes on locally where it can, the view says the
// server is unreachable, and after a restart on the same port and database the status
// is reported and the server's status matches the key.
import { afterEach, describe, expect, it } from 'vitest';
import { VaultStatus } from '../../../shared/vault/vault-status';
import type { KeySnapshot } from '../../../shared/ipc/snapshot';
import { settled, startWithReservedKey, type IpcRig } from './ipc-rig';
import { KEY_FAMILIES } from './companion-rig';

/** The view says the server cannot be reached: as its kind, or as a notice on a key-only view. */
const unreachable = (k: KeySnapshot): boolean =>
  k.view.kind === 'serverUnreachable' || k.view.serverNotice?.kind === 'serverUnreachable';

let c: IpcRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

async function restartAndActivate(rig: IpcRig, serial: string, code: string): Promise<void> {
  await rig.rig.restart();
  await rig.untilServer('connected');
  const key = await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
  expect(key.view.kind).toBe('awaitingActivation');
  expect(await rig.call('submitActivationCode', serial, code)).toEqual({ ok: true, value: null });
  const done = await rig.until(serial, (k) => k.step === 'online' && k.view.kind === 'active');
  expect(done.serverStatus).toBe(VaultStatus.Active);
  expect(rig.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
}

describe.each(KEY_FAMILIES)(
  'losing the server at each step (through the IPC router) (%s keys)',
  (family) => {
    it('while reporting: the blank key cannot go further alone, the view says unreachable, the restart resumes', async () => {
      const { rig, serial, code } = await startWithReservedKey(family);
      c = rig;
      let killed: Promise<void> | undefined;
      rig.atStep(serial, 'reporting', () => {
        killed = rig.rig.kill();
      });
      rig.devices.start();
      await rig.untilServer('offline');
      await killed;
      const key = await rig.until(serial, (k) => settled(k) && unreachable(k));
      expect(key.prompt).toBeUndefined();
      expect(key.connection).toBe('connected');
      expect(rig.router.snapshot()?.server.connection.state).toBe('offline');
      // A blank key cannot be set up without the server: it says so, and why.
      expect(key.step).toBe('stopped');
      expect(key.error?.code).toBe('WORKFLOW_NOT_LINKED');
      expect(key.view.serverNotice?.kind).toBe('serverUnreachable');
      await restartAndActivate(rig, serial, code);
      await rig.scan();
    });

    it('while updating the status (a server command held): the flow stops cleanly, the restart finishes the update', async () => {
      const { rig, serial, code } = await startWithReservedKey(family);
      c = rig;
      const held = rig.holdRelay(serial);
      rig.devices.start();
      const command = await held;
      expect(rig.key(serial)?.step).toBe('updatingStatus');
      const killed = rig.rig.kill();
      await rig.untilServer('offline');
      command.release();
      await killed;
      const key = await rig.until(serial, (k) => settled(k) && unreachable(k));
      expect(key.prompt).toBeUndefined();
      expect(key.step).toBe('stopped');
      await restartAndActivate(rig, serial, code);
      await rig.scan();
    });

    it('during the code prompt: the prompt stays, the key checks the code alone, the restart reports Active', async () => {
      const { rig, serial, code } = await startWithReservedKey(family);
      c = rig;
      rig.devices.start();
      await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
      await rig.rig.kill();
      await rig.untilServer('offline');
      let key = await rig.until(serial, unreachable);
      expect(key.step).toBe('awaitingActivationCode');
      expect(key.view.kind).toBe('awaitingActivation');
      expect(key.prompt).toMatchObject({ kind: 'activationCode', attemptsRemain: 3 });
      expect(await rig.call('submitActivationCode', serial, code)).toEqual({
        ok: true,
        value: null,
      });
      key = await rig.until(serial, settled);
      expect(key.step).toBe('online');
      key = await rig.until(serial, unreachable);
      expect(key.view.kind).toBe('serverUnreachable');
      expect(key.serverStatus).not.toBe(VaultStatus.Active);
      await rig.rig.restart();
      await rig.untilServer('connected');
      key = await rig.until(serial, (k) => k.step === 'online' && k.view.kind === 'active');
      expect(key.serverStatus).toBe(VaultStatus.Active);
      expect(rig.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      await rig.scan();
    });

    it('a wrong code while the server is away: the key counts it, the restart reports the attempts and the right code activates', async () => {
      const { rig, serial, code } = await startWithReservedKey(family);
      c = rig;
      rig.devices.start();
      await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
      await rig.rig.kill();
      await rig.untilServer('offline');
      const wrong = code === '000000' ? '111111' : '000000';
      rig.typed.push(wrong);
      await rig.call('submitActivationCode', serial, wrong);
      let key = await rig.until(
        serial,
        (k) => k.prompt?.kind === 'activationCode' && k.prompt.lastResult === 'wrong',
      );
      expect(key.prompt).toMatchObject({ attemptsRemain: 2 });
      const reported = new Promise<void>((resolve) => rig.atStep(serial, 'reporting', resolve));
      await rig.rig.restart();
      await rig.untilServer('connected');
      // The server back, the prompt gives way to the report (the attempts left), then asks again.
      await reported;
      key = await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
      expect(key.prompt).toMatchObject({ attemptsRemain: 2 });
      await rig.call('submitActivationCode', serial, code);
      key = await rig.until(serial, (k) => k.step === 'online' && k.view.kind === 'active');
      expect(key.serverStatus).toBe(VaultStatus.Active);
      expect(rig.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      await rig.scan();
    });
  },
);

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultStatus, VaultStatusReason } from '../../../shared/vault/vault-status';
import { KEY_FAMILIES, startCompanionRig, type CompanionRig } from './companion-rig';
import { expectThroughDeviceHub, markHub } from './device-hub-trace';
import { expectNoSecrets } from './secrets';

let c: CompanionRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const settled = (k: { step: string }): boolean => k.step === 'online' || k.step === 'stopped';

/** The history (newest first) never records X → Y then straight back Y → X: no stale status. */
function expectNoFlip(history: readonly { from: number | null; to: number }[]): void {
  const oldestFirst = [...history].reverse();
  for (let i = 1; i < oldestFirst.length; i++) {
    const [a, b] = [oldestFirst[i - 1], oldestFirst[i]];
    expect(a && b && a.from !== null && b.to === a.from, JSON.stringify(oldestFirst)).toBe(false);
  }
}

async function activate(rig: CompanionRig, serial: string): Promise<void> {
  const code = rig.reserve(serial);
  await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
  await rig.service.submitActivationCode(serial, code);
}

async function replug(rig: CompanionRig, index = 0): Promise<void> {
  const key = rig.keys[index];
  if (!key) throw new Error('no key');
  const serial = key.serialNo;
  rig.unplugKey(key);
  await rig.until(serial, (k) => k.connection !== 'connected' && k.step === 'stopped');
  await rig.plugKey(key);
  await rig.until(serial, (k) => k.connection === 'connected');
}

describe.each(KEY_FAMILIES)(
  'the companion follows the key through its lifecycle (%s keys)',
  (family) => {
    it('admin Activate after a lock: the key asks for the new code (suspension) and becomes Active', async () => {
      c = await startCompanionRig(1, { family });
      const [serial = ''] = c.serials;
      let mark = markHub(c);
      c.devices.start();
      const code = c.reserve(serial);
      c.typed.push('000001');
      for (let i = 0; i < 3; i++) {
        await c.until(serial, (k) => k.step === 'awaitingActivationCode');
        await c.service.submitActivationCode(serial, code === '000001' ? '000002' : '000001');
      }
      await c.until(serial, (k) => k.step === 'stopped' && k.view.kind === 'lockedByCode');
      // Link at the first connection, then the lock read back: HES's channel each time.
      expectThroughDeviceHub(c, serial, mark, family);
      mark = markHub(c);
      const job = c.rig.nextOutcome();
      const fresh = c.rig.server.standIn.activate(serial).activationCode;
      // The key is still connected: HES's own session reads it back (StartUpdateHardwareVaultStatus).
      expect(await job).toMatchObject({
        vaultId: serial,
        job: 'UpdateHardwareVaultStatus',
        code: 0,
      });
      c.typed.push(fresh);
      // The Locked card updates by itself: the key's new code lock re-runs the flow, with
      // no replug and no Try again (a Hideez Key 3's STATUS does not show a new code on a key
      // already locked by code: its driver reads the key back after the server's session).
      const asked = await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      expect(asked.view.kind).toBe('suspended');
      expect(asked.connection).toBe('connected');
      await replug(c);
      const key = await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      expect(key.prompt).toMatchObject({ kind: 'activationCode', reason: 'suspension' });
      expect(key.view.kind).toBe('suspended');
      await c.service.submitActivationCode(serial, fresh);
      expect((await c.until(serial, settled)).step).toBe('online');
      expect(c.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      expectThroughDeviceHub(c, serial, mark, family);
      const history = c.key(serial)?.history ?? [];
      expect([...history].reverse().map((h) => h.to)).toEqual([
        VaultStatus.Reserved,
        VaultStatus.Locked,
        VaultStatus.Suspended,
        VaultStatus.Active,
      ]);
      expectNoFlip(history);
      await expectNoSecrets(c);
    });

    it('admin Suspend while Online: at the next connection the key is re-locked and asks for the new code', async () => {
      c = await startCompanionRig(1, { family });
      const [serial = ''] = c.serials;
      let mark = markHub(c);
      c.devices.start();
      await activate(c, serial);
      await c.until(serial, (k) => k.step === 'online');
      // First activation, Reserved → Active: Link and Access over HES's channel.
      expectThroughDeviceHub(c, serial, mark, family);
      mark = markHub(c);
      const job = c.rig.nextOutcome();
      const code = c.rig.server.standIn.suspend(serial, 'left on a train').activationCode;
      expect(await job).toMatchObject({
        vaultId: serial,
        job: 'UpdateHardwareVaultStatus',
        code: 0,
      });
      c.typed.push(code);
      // HES starts a session itself on a key that is online (StartUpdateHardwareVaultStatus):
      // the key is locked at once, and the companion asks for the new code without a replug.
      const asked = await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      expect(asked.view.kind).toBe('suspended');
      expectThroughDeviceHub(c, serial, mark, family);
      mark = markHub(c);
      await replug(c);
      const key = await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      expect(key.view.kind).toBe('suspended');
      expect(c.notices.some((n) => n.kind === 'suspended')).toBe(true);
      await c.service.submitActivationCode(serial, code);
      expect((await c.until(serial, settled)).step).toBe('online');
      expect(c.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      expectThroughDeviceHub(c, serial, mark, family);
      await expectNoSecrets(c);
    });

    it('PIN lockout: locked by PIN is reported at once and the server marks the key Locked', async () => {
      c = await startCompanionRig(1, { family });
      const [serial = ''] = c.serials;
      c.profile({ pinConnection: true, pinTryCount: 3 });
      c.devices.start();
      await activate(c, serial);
      await c.until(serial, (k) => k.step === 'awaitingNewPin');
      c.typed.push('13572468', '99999999');
      await c.service.submitNewPin(serial, '13572468', '13572468');
      let key = await c.until(serial, (k) => settled(k) || k.step === 'awaitingPin');
      if (key.step === 'awaitingPin') await c.service.submitPin(serial, '13572468');
      await c.until(serial, (k) => k.step === 'online');
      const mark = markHub(c);
      await replug(c);
      for (let i = 0; i < 3; i++) {
        key = await c.until(serial, (k) => k.step === 'awaitingPin' || k.step === 'stopped');
        if (key.step === 'stopped') break;
        expect(key.prompt).toMatchObject({ kind: 'pin', attemptsRemain: 3 - i });
        await c.service.submitPin(serial, '99999999');
      }
      key = await c.until(serial, (k) => k.step === 'stopped');
      expect(key.view.kind).toBe('lockedByPin');
      expect(key.error?.code).toBe('WORKFLOW_LOCKED_BY_PIN');
      expect(c.rig.server.standIn.vaultStatus(serial)).toMatchObject({
        status: VaultStatus.Locked,
      });
      expect(c.notices.some((n) => n.kind === 'lockedByPin')).toBe(true);
      expectNoFlip(key.history);
      expect(key.history[0]).toMatchObject({ to: VaultStatus.Locked });
      expectThroughDeviceHub(c, serial, mark, family);
      await expectNoSecrets(c);
    });

    it('Remove (withdrawal): the key is wiped, the user is told and the pairing is forgotten', async () => {
      c = await startCompanionRig(1, { family });
      const [serial = ''] = c.serials;
      c.devices.start();
      await activate(c, serial);
      await c.until(serial, (k) => k.step === 'online');
      const mark = markHub(c);
      const job = c.rig.nextOutcome();
      c.rig.server.standIn.remove(serial, VaultStatusReason.Withdrawal);
      // HES's REST remove starts the accounts update on an online key; the wipe waits for the
      // next status sync.
      expect(await job).toMatchObject({
        vaultId: serial,
        job: 'UpdateHardwareVaultAccounts',
        code: 0,
      });
      await replug(c);
      const key = await c.until(serial, (k) => k.step === 'stopped');
      expect(key.view.kind).toBe('wiped');
      // Deactivated → the status sync wipes the key over HES's channel → Ready.
      expectThroughDeviceHub(c, serial, mark, family);
      expect(c.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Ready);
      expect(key.error?.code).toBe('WORKFLOW_PAIRING_FORGOTTEN');
      expect(c.notices.some((n) => n.kind === 'wiped')).toBe(true);
      await c.service.ready();
      const file = JSON.parse(readFileSync(c.historyFile, 'utf8')) as {
        forgotten: Record<string, { code: number }>;
      };
      expect(file.forgotten[serial]?.code).toBe(1014);
      await expectNoSecrets(c);
    });

    it('Compromised while still linked: HES answers 616 before its status check, and the user is told', async () => {
      // HES forgets the master key on Compromise; a key that is still linked then meets the
      // 616 validation (hes-contract §2.3, "616 in props") before any status is looked at, so
      // the client cannot tell Compromised from linked-to-another-server. Either way the key
      // is unusable here and the flow stops with that explanation.
      c = await startCompanionRig(1, { family });
      const [serial = ''] = c.serials;
      c.devices.start();
      await activate(c, serial);
      await c.until(serial, (k) => k.step === 'online');
      const mark = markHub(c);
      const job = c.rig.nextOutcome();
      c.rig.server.standIn.compromise(serial, VaultStatusReason.Stolen, 'stolen from a car');
      // HES's own session after a compromise reads the key and ends in 614, only logged.
      expect(await job).toMatchObject({
        vaultId: serial,
        job: 'UpdateHardwareVaultStatus',
        code: 614,
      });
      await replug(c);
      const key = await c.until(serial, (k) => k.step === 'stopped');
      expect(key.view.kind).toBe('linkedToAnotherServer');
      expect(c.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Compromised);
      expectThroughDeviceHub(c, serial, mark, family);
      expect(key.error?.code).toBe(616);
      expect(c.notices.some((n) => n.kind === 'linkedToAnotherServer')).toBe(true);
      await expectNoSecrets(c);
    });

    it('a disconnect mid-prompt stops the flow cleanly and a reconnect asks again', async () => {
      c = await startCompanionRig(1, { family });
      const [serial = ''] = c.serials;
      c.devices.start();
      const code = c.reserve(serial);
      await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      await replug(c);
      await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      await c.service.submitActivationCode(serial, code);
      expect((await c.until(serial, settled)).step).toBe('online');
      await expectNoSecrets(c);
    });

    it('server offline at connect: the key checks the code locally, the status is reported when the server is back', async () => {
      c = await startCompanionRig(1, { family });
      const [serial = ''] = c.serials;
      c.devices.start();
      const code = c.reserve(serial);
      await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      await c.service.cancelPrompt(serial);
      await c.until(serial, (k) => k.step === 'stopped');
      await c.rig.kill();
      await c.untilServer('offline');
      await replug(c);
      await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      await c.service.submitActivationCode(serial, code);
      const offline = await c.until(serial, settled);
      expect(offline.step).toBe('online');
      expect(offline.view.kind).toBe('serverUnreachable');
      await c.rig.restart();
      await c.untilServer('connected');
      const back = await c.until(serial, (k) => k.step === 'online' && k.view.kind === 'active');
      expect(back.serverStatus).toBe(VaultStatus.Active);
      expect(c.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      await expectNoSecrets(c);
    });

    it('two keys connect at once and each runs its own flow', async () => {
      c = await startCompanionRig(2, { family });
      const [a = '', b = ''] = c.serials;
      const codeA = c.reserve(a);
      const codeB = c.reserve(b);
      c.devices.start();
      await Promise.all([
        c.until(a, (k) => k.step === 'awaitingActivationCode'),
        c.until(b, (k) => k.step === 'awaitingActivationCode'),
      ]);
      await Promise.all([
        c.service.submitActivationCode(b, codeB),
        c.service.submitActivationCode(a, codeA),
      ]);
      expect((await c.until(a, settled)).step).toBe('online');
      expect((await c.until(b, settled)).step).toBe('online');
      await expectNoSecrets(c);
    });
  },
);

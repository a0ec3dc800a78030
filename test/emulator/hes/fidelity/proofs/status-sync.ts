// Proofs of the status-rule rows about the status switch over the remote channel and the
// server-started sessions after admin actions (table 4), merged into status-rules.ts.
import { expect } from 'vitest';
import { RemoteOpCode } from '../../../../../emulator/remote-channel/ops';
import { ActivationStatus } from '../../../../../emulator/hes/store/records';
import { DeviceErrorCode } from '../../../../../shared/errors/device-error-code';
import { HwVaultConnectionState } from '../../../../../shared/hes/dto';
import { VaultStatus, VaultStatusReason } from '../../../../../shared/vault/vault-status';
import type { ProofMap } from './proof';
import { direct } from './remote-codes';
import { activeVault, remoteRig, reservedAndLinked, type RemoteRig } from './remote-rig';

const { Reserved, Active, Locked, Suspended, Deactivated, Ready } = VaultStatus;
const WRONG = '000000';

const statusOf = (rig: RemoteRig): VaultStatus => rig.server.standIn.vaultStatus(rig.serial).status;
const establishes = (rig: RemoteRig): number =>
  rig.ws.pushes.filter((p) => p.target === 'EstablishRemoteHwVaultConnection').length;
const masterOf = (rig: RemoteRig): Uint8Array =>
  Buffer.from(rig.db.vaults.get(rig.serial)?.masterPassword ?? '', 'hex');

/** The info reply to a (possibly doctored) report of the key. */
async function info(
  rig: RemoteRig,
  change: Record<string, unknown> = {},
): Promise<{ code: number; needStateUpdate?: boolean }> {
  const dto = { ...(await rig.dto(HwVaultConnectionState.Initializing)), ...change };
  const reply = await rig.ws.invoke<{ needStateUpdate: boolean }>(
    'UpdateHwVaultProperties',
    dto,
    true,
  );
  return {
    code: reply.code,
    ...(reply.data ? { needStateUpdate: reply.data.needStateUpdate } : {}),
  };
}

/** Suspended while the key was away (nothing started), then announced: not applied. */
async function suspendedNotApplied(): Promise<RemoteRig> {
  const rig = await remoteRig({ reserved: true });
  await activeVault(rig);
  await rig.announce(HwVaultConnectionState.Offline);
  rig.server.standIn.suspend(rig.serial);
  await rig.announce();
  expect(rig.db.vaults.get(rig.serial)?.isStatusApplied).toBe(false);
  return rig;
}

/** Suspended while online: HES's server-started session applies it at once. */
async function suspendedApplied(): Promise<RemoteRig> {
  const rig = await remoteRig({ reserved: true });
  await activeVault(rig);
  const next = rig.nextOutcome();
  rig.server.standIn.suspend(rig.serial);
  expect(await next).toMatchObject({ job: 'UpdateHardwareVaultStatus', code: 0 });
  return rig;
}

export const PROOFS: ProofMap = {
  '4.3': async () => {
    // Not announced: nothing starts.
    const away = await remoteRig({ reserved: true, announce: false });
    await away.announce();
    expect(establishes(away)).toBe(0);
    // Announced: the accounts update starts unprompted; a blank key refuses CheckPassphrase.
    const rig = await remoteRig();
    const next = rig.nextOutcome();
    rig.reserve();
    expect(await next).toMatchObject({
      job: 'UpdateHardwareVaultAccounts',
      code: DeviceErrorCode.ERR_NOT_INITIALIZED,
    });
    expect(establishes(rig)).toBe(1);
    expect(rig.commandCount()).toBe(2);
  },
  '4.5': async () => {
    const rig = await remoteRig({ reserved: true });
    await activeVault(rig);
    rig.db.vaults.update(rig.serial, { needSync: true });
    const next = rig.nextOutcome();
    rig.server.standIn.remove(rig.serial, VaultStatusReason.Withdrawal);
    expect(await next).toMatchObject({ job: 'UpdateHardwareVaultAccounts', code: 0 });
    expect((await rig.info()).access.linkRequired).toBe(false);
    expect(rig.db.vaults.get(rig.serial)).toMatchObject({ status: Deactivated, needSync: false });
  },
  '4.6': async () => {
    const rig = await suspendedApplied();
    expect(statusOf(rig)).toBe(Suspended);
    expect(rig.db.vaults.get(rig.serial)?.isStatusApplied).toBe(true);
    expect(await rig.info()).toMatchObject({ lockedByCode: true, unlockAttemptsRemain: 3 });
  },
  '4.7': async () => {
    const rig = await remoteRig({ reserved: true });
    await reservedAndLinked(rig);
    for (let i = 0; i < 3; i++) await rig.unlock(WRONG);
    expect((await rig.status()).code).toBe(615);
    const next = rig.nextOutcome();
    const { activationCode } = rig.server.standIn.activate(rig.serial);
    expect(await next).toMatchObject({ job: 'UpdateHardwareVaultStatus', code: 0 });
    expect(statusOf(rig)).toBe(Suspended);
    expect(await rig.unlock(activationCode)).toBe(DeviceErrorCode.OK);
  },
  '4.12': async () => {
    const rig = await remoteRig({ reserved: true });
    await reservedAndLinked(rig);
    const before = rig.ws.steps.length;
    const next = rig.nextOutcome();
    // The admin's action returns before any remote work; the client made no call and gets
    // no reply: the outcome is only logged.
    rig.server.standIn.compromise(rig.serial, VaultStatusReason.Stolen);
    expect(rig.ws.steps.length).toBe(before);
    expect(await next).toEqual({
      vaultId: rig.serial,
      job: 'UpdateHardwareVaultStatus',
      code: 614,
      message: 'HesDeviceCompromised (614)',
    });
    expect(rig.ws.steps.length).toBeGreaterThan(before);
  },
  '4.14': async () => {
    const rig = await remoteRig();
    expect((await rig.status()).code).toBe(611);
  },
  '4.15': async () => {
    const rig = await remoteRig({ reserved: true });
    expect((await rig.status()).code).toBe(0);
    expect(await rig.info()).toMatchObject({ lockedByCode: true, unlockAttemptsRemain: 3 });
    expect(rig.db.vaults.get(rig.serial)?.isStatusApplied).toBe(true);
    expect(await rig.unlock(rig.code)).toBe(DeviceErrorCode.OK);
    // Without a pending code HES's lookup throws its HESException: 1001.
    const missing = await remoteRig({ reserved: true });
    missing.db.activations.setPending(missing.serial, ActivationStatus.Canceled);
    expect((await missing.status()).code).toBe(1001);
    expect((await missing.info()).access.linkRequired).toBe(true);
  },
  '4.16': async () => {
    const rig = await remoteRig({ reserved: true });
    await activeVault(rig);
    expect(rig.key.state.profile).not.toBeNull();
    const waiting = await remoteRig({ reserved: true });
    await reservedAndLinked(waiting);
    expect((await waiting.status()).code).toBe(0);
    expect(statusOf(waiting)).toBe(Reserved);
    for (let i = 0; i < 3; i++) await waiting.unlock(WRONG);
    expect((await waiting.status()).code).toBe(615);
    expect(statusOf(waiting)).toBe(Locked);
  },
  '4.17': async () => {
    const rig = await suspendedNotApplied();
    expect(await direct(rig, { op: RemoteOpCode.Wipe, masterKey: masterOf(rig) })).toBe(0);
    const before = rig.commandCount();
    // LockDeviceCode goes to the blank key too; its refusal is the reply.
    expect(await rig.status()).toEqual({
      code: DeviceErrorCode.ERR_NOT_INITIALIZED,
      message: 'ERR_NOT_INITIALIZED (10)',
      data: null,
    });
    expect(rig.commandCount()).toBe(before + 2);
    expect(rig.db.vaults.get(rig.serial)).toMatchObject({
      status: Suspended,
      isStatusApplied: false,
    });
    // A linked key gets it and is locked by the new code.
    const linked = await suspendedNotApplied();
    expect((await linked.status()).code).toBe(0);
    expect(await linked.info()).toMatchObject({ lockedByCode: true });
    expect(linked.db.vaults.get(linked.serial)?.isStatusApplied).toBe(true);
  },
  '4.18': async () => {
    const rig = await suspendedApplied();
    expect((await rig.status()).code).toBe(0);
    expect(statusOf(rig)).toBe(Suspended);
    expect(await rig.unlock(rig.server.standIn.activationCode(rig.serial).activationCode)).toBe(0);
    const before = rig.commandCount();
    expect((await rig.status()).code).toBe(0);
    expect(statusOf(rig)).toBe(Active);
    expect(rig.commandCount()).toBe(before + 1);
    const spent = await suspendedApplied();
    for (let i = 0; i < 3; i++) await spent.unlock(WRONG);
    expect((await spent.status()).code).toBe(615);
    expect(statusOf(spent)).toBe(Locked);
  },
  '4.19': async () => {
    const rig = await remoteRig({ reserved: true });
    await activeVault(rig);
    expect((await rig.status()).code).toBe(0);
    expect(statusOf(rig)).toBe(Active);
    const op = { op: RemoteOpCode.LockDeviceCode, masterKey: masterOf(rig), attempts: 3 } as const;
    expect(await direct(rig, { ...op, code: Buffer.from('424242') })).toBe(0);
    expect((await rig.status()).code).toBe(615);
    expect(statusOf(rig)).toBe(Locked);
    // Active + a blank key: unchanged by the sync; 620 only from the sent DTO (3.18).
    const blank = await remoteRig({ reserved: true });
    await activeVault(blank);
    const stale = await blank.dto();
    expect(await direct(blank, { op: RemoteOpCode.Wipe, masterKey: masterOf(blank) })).toBe(0);
    expect((await blank.ws.invoke('UpdateHwVaultStatus', stale)).code).toBe(0);
    expect((await blank.status()).code).toBe(620);
    expect(statusOf(blank)).toBe(Active);
  },
  '4.20': async () => {
    const rig = await remoteRig({ reserved: true });
    await reservedAndLinked(rig);
    for (let i = 0; i < 3; i++) await rig.unlock(WRONG);
    expect((await rig.status()).code).toBe(615);
    expect((await rig.status()).code).toBe(615);
    await rig.announce(HwVaultConnectionState.Offline);
    rig.server.standIn.compromise(rig.serial, VaultStatusReason.Lost);
    await rig.announce();
    expect((await rig.status()).code).toBe(614);
  },
  '4.21': async () => {
    for (const blankKey of [false, true]) {
      const rig = await remoteRig({ reserved: true });
      await activeVault(rig);
      await rig.announce(HwVaultConnectionState.Offline);
      rig.server.standIn.remove(rig.serial, VaultStatusReason.Broken);
      await rig.announce();
      if (blankKey) await direct(rig, { op: RemoteOpCode.Wipe, masterKey: masterOf(rig) });
      const before = rig.commandCount();
      expect((await rig.status()).code).toBe(1014);
      // Wipe unless the key is already blank.
      expect(rig.commandCount()).toBe(before + (blankKey ? 1 : 2));
      expect((await rig.info()).access.linkRequired).toBe(true);
      expect(rig.db.vaults.get(rig.serial)).toMatchObject({
        status: Ready,
        statusReason: VaultStatusReason.None,
        statusDescription: null,
        employeeId: null,
        masterPassword: null,
        profileId: 'default',
        needSync: false,
        hasNewLicense: false,
        isStatusApplied: false,
        timestamp: 0,
      });
      expect(rig.db.activations.pending(rig.serial)).toBeUndefined();
    }
  },
  '4.26': async () => {
    // The key's answer to the n-th command is lost on its way back: the server writes nothing
    // for it (one write after each command the key has answered).
    let sent = 0;
    let lose = 0;
    const rig = await remoteRig({
      reserved: true,
      peer: (inner) => async (channel, request) => {
        const reply = await inner(channel, request);
        if (request.kind === 'message' && ++sent === lose) throw new Error('lost on the way back');
        return reply;
      },
    });
    lose = 2; // the refresh, then the Link
    expect((await rig.status()).code).toBe(1001);
    expect((await rig.info()).lockedByCode).toBe(true);
    expect(rig.db.vaults.get(rig.serial)?.isStatusApplied).toBe(false);
    expect(await rig.unlock(rig.code)).toBe(DeviceErrorCode.OK);
    lose = sent + 2; // the refresh, then the Access
    expect((await rig.status()).code).toBe(1001);
    expect(statusOf(rig)).toBe(Reserved);
    expect((await rig.status()).code).toBe(0);
    expect(statusOf(rig)).toBe(Active);
  },
  '4.27': async () => {
    const rig = await remoteRig({ reserved: true });
    expect((await info(rig, { vaultSerialNo: 'ST-unknown', isLinkRequired: false })).code).toBe(
      607,
    );
    const ready = await remoteRig();
    // 616 before the status (Ready would be 611).
    expect((await info(ready, { isLinkRequired: false })).code).toBe(616);
    await activeVault(rig);
    expect((await info(rig, { isLinkRequired: true })).code).toBe(620);
  },
  '4.28': async () => {
    const rig = await remoteRig({ reserved: true });
    expect(await info(rig)).toEqual({ code: 0, needStateUpdate: true });
    await activeVault(rig);
    expect(await info(rig)).toEqual({ code: 0, needStateUpdate: false });
    expect(await info(rig, { isLocked: true, isCanUnlock: true })).toEqual({
      code: 0,
      needStateUpdate: true,
    });
    const suspended = await suspendedNotApplied();
    // The quirk: not applied, the key not locked → true; the first sync only locks it.
    expect(await info(suspended)).toEqual({ code: 0, needStateUpdate: true });
    expect(await info(suspended, { isLocked: true, isCanUnlock: true })).toEqual({
      code: 0,
      needStateUpdate: false,
    });
    await suspended.announce(HwVaultConnectionState.Offline);
    suspended.server.standIn.remove(suspended.serial, VaultStatusReason.Broken);
    expect(await info(suspended)).toEqual({ code: 0, needStateUpdate: true });
  },
};

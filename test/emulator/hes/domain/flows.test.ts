// The end-to-end flows of hes-contract.md §2.5 and the AppHub gate/errors of §4.2–4.4, with the
// real key on the sealed channel and the database in a real SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { Command } from '../../../../device/protocol/messages';
import { HwVaultConnectionState } from '../../../../shared/hes/dto';
import { VaultStatus, VaultStatusReason } from '../../../../shared/vault/vault-status';
import { RemoteOpCode } from '../../../../emulator/remote-channel/ops';
import { ascii } from '../../key/key-hosts';
import {
  foreignMasterKey,
  harness,
  WRONG_CODE,
  WS,
  workstationDto,
  type Harness,
} from './hes-harness';
import { activateFirst, reserveAndLink } from './vault-states';

let open: Harness | undefined;
afterEach(async () => {
  await open?.cleanup();
  open = undefined;
});
const start = async (): Promise<Harness> => {
  open = await harness();
  await open.approve();
  return open;
};

describe('§2.5 flows with a real key', () => {
  it('first activation: Link, the user enters the code on the key, Access → Active', async () => {
    const h = await start();
    const employee = h.hes.addEmployee({
      firstName: 'Alice',
      lastName: 'Smith',
      email: 'alice@corp',
    });
    const { activationCode } = h.hes.reserve(h.serial, employee.id);
    expect(activationCode).toMatch(/^\d{6}$/);

    const props = await h.announce();
    expect(props).toMatchObject({ code: 0, message: null });
    expect(props.data).toMatchObject({
      ownerName: 'Alice Smith',
      ownerEmail: 'alice@corp',
      vaultSerialNo: h.serial,
      needStateUpdate: true,
    });
    expect(h.hes.vaultStatus(h.serial).status).toBe(VaultStatus.Reserved);

    expect((await h.sync()).code).toBe(0);
    const linked = await h.info();
    expect(linked).toMatchObject({ lockedByCode: true, canUnlock: true, unlockAttemptsRemain: 3 });
    const relayedBytes = h.relay.relayed.map((b) => Buffer.from(b).toString('latin1')).join('');
    expect(relayedBytes).not.toContain(activationCode);

    expect((await h.unlock(activationCode)).status).toBe(0);
    const reply = await h.hes.updateHwVaultProperties(WS, await h.dto(), true);
    expect(reply.data?.needStateUpdate).toBe(true);
    const synced = await h.sync();
    expect(synced.code).toBe(0);
    expect(synced.data).toMatchObject({ needStateUpdate: false });
    expect(h.hes.vaultStatus(h.serial).status).toBe(VaultStatus.Active);
    expect(h.key.state.profile?.pinMaxTries).toBe(10);
    expect(h.store.activations.list(h.serial).map((a) => a.status)).toEqual([1]);

    expect((await h.hes.authHwVault(WS, h.serial)).code).toBe(0);
    expect(await h.hes.updateHwVaultAccounts(WS, h.serial, true)).toEqual({
      code: 0,
      message: '',
      data: null,
    });
  });

  it('three wrong codes lock the key; Locked (InvalidActivationCode) → Activate → Suspended → new code → Active', async () => {
    const h = await start();
    const firstCode = await reserveAndLink(h);
    expect((await h.unlock(WRONG_CODE)).status).toBe(19);
    expect((await h.unlock(WRONG_CODE)).status).toBe(19);
    expect((await h.unlock(WRONG_CODE)).status).toBe(7);
    expect((await h.unlock(firstCode)).status).toBe(7);

    const locked = await h.sync();
    expect(locked).toEqual({ code: 615, message: 'HesDeviceLocked (615)', data: null });
    expect(h.hes.vaultStatus(h.serial)).toMatchObject({
      status: VaultStatus.Locked,
      statusReason: VaultStatusReason.InvalidActivationCode,
    });
    expect((await h.sync()).code).toBe(615);
    expect((await h.announce()).code).toBe(615);

    // The key is online: HES's server-started session locks it with the new code at once.
    const {
      result: { activationCode },
      outcome,
    } = await h.background(() => h.hes.activate(h.serial));
    expect(outcome).toMatchObject({ job: 'UpdateHardwareVaultStatus', code: 0 });
    expect(activationCode).not.toBe(firstCode);
    expect(h.hes.vaultStatus(h.serial).status).toBe(VaultStatus.Suspended);
    expect(await h.info()).toMatchObject({ lockedByCode: true, unlockAttemptsRemain: 3 });
    expect(h.store.vaults.get(h.serial)?.isStatusApplied).toBe(true);
    expect((await h.announce()).data?.needStateUpdate).toBe(false);

    expect((await h.unlock(activationCode)).status).toBe(0);
    const active = await h.sync();
    expect(active.data).not.toHaveProperty('status');
    expect(h.hes.vaultStatus(h.serial).status).toBe(VaultStatus.Active);
    expect(h.hes.vaultStatus(h.serial).history.map((e) => [e.from, e.to, e.actor])).toEqual([
      [0, 1, 'admin'],
      [1, 3, 'sync(ws-1)'],
      [3, 4, 'admin'],
      [4, 2, 'sync(ws-1)'],
    ]);
  });

  it('a PIN lockout on an Active key gives Locked with reason LockedByInvalidPin', async () => {
    const h = await start();
    await activateFirst(h);
    expect((await h.usb.request({ command: Command.SetPin, newPin: ascii('1234') })).status).toBe(
      0,
    );
    for (let i = 0; i < 10; i++)
      await h.usb.request({ command: Command.EnterPin, pin: ascii('9999') });
    expect((await h.info()).lockedByPin).toBe(true);
    expect((await h.announce()).data?.needStateUpdate).toBe(true);
    expect((await h.sync()).code).toBe(615);
    expect(h.hes.vaultStatus(h.serial)).toMatchObject({
      status: VaultStatus.Locked,
      statusReason: VaultStatusReason.LockedByInvalidPin,
    });
    // The admin's new code is the way out: LockDeviceCode (sent at once, the key is online)
    // also clears the PIN lock.
    const {
      result: { activationCode },
      outcome,
    } = await h.background(() => h.hes.activate(h.serial));
    expect(outcome.code).toBe(0);
    expect((await h.unlock(activationCode)).status).toBe(0);
    expect((await h.sync()).code).toBe(0);
    expect(h.store.vaults.get(h.serial)?.status).toBe(VaultStatus.Active);
  });

  it('Suspend of an offline key → LockDeviceCode at the next connection → new code → Active without Access', async () => {
    const h = await start();
    await activateFirst(h);
    await h.offline();
    const { activationCode } = h.hes.suspend(h.serial, 'audit');
    expect(h.relay.outcomes).toEqual([]);
    expect(h.hes.vaultStatus(h.serial)).toMatchObject({
      status: VaultStatus.Suspended,
      statusDescription: 'audit',
    });
    const props = await h.announce();
    expect(props.data).toMatchObject({ needStateUpdate: true });
    expect((await h.sync()).code).toBe(0);
    expect((await h.info()).lockedByCode).toBe(true);
    expect((await h.announce()).data?.needStateUpdate).toBe(false);
    expect((await h.unlock(activationCode)).status).toBe(0);
    expect((await h.sync()).data).not.toHaveProperty('status');
    expect(h.hes.vaultStatus(h.serial).status).toBe(VaultStatus.Active);
  });

  it('Remove → Deactivated (the accounts update it starts does not wipe) → the next sync wipes the key → Ready and 1014', async () => {
    const h = await start();
    await activateFirst(h);
    const { outcome } = await h.background(() =>
      h.hes.remove(h.serial, VaultStatusReason.Withdrawal),
    );
    expect(outcome).toMatchObject({ job: 'UpdateHardwareVaultAccounts', code: 0 });
    expect((await h.info()).access.linkRequired).toBe(false);
    expect(h.hes.vaultStatus(h.serial)).toMatchObject({
      status: VaultStatus.Deactivated,
      statusReason: VaultStatusReason.Withdrawal,
    });
    expect((await h.announce()).data?.needStateUpdate).toBe(true);
    expect(await h.sync()).toEqual({
      code: 1014,
      message: 'DeviceHasBeenWiped (1014)',
      data: null,
    });
    expect((await h.info()).access.linkRequired).toBe(true);
    const vault = h.store.vaults.get(h.serial);
    expect(vault).toMatchObject({
      status: VaultStatus.Ready,
      masterPassword: null,
      employeeId: null,
    });
    expect(h.store.activations.list(h.serial).every((a) => a.status !== 0)).toBe(true);
    expect((await h.sync()).code).toBe(611);
  });

  it('Compromise → 614 on status, 616 in properties while the key is still linked', async () => {
    const h = await start();
    await activateFirst(h);
    const { outcome } = await h.background(() =>
      h.hes.compromise(h.serial, VaultStatusReason.Lost, 'lost'),
    );
    expect(outcome).toEqual({
      vaultId: h.serial,
      job: 'UpdateHardwareVaultStatus',
      code: 614,
      message: 'HesDeviceCompromised (614)',
    });
    expect((await h.sync()).code).toBe(614);
    expect((await h.announce()).code).toBe(616);
  });

  it('a Ready vault answers 611 (not assigned); an unknown one 607', async () => {
    const h = await start();
    expect((await h.announce()).code).toBe(611);
    const dto = { ...(await h.dto()), vaultSerialNo: 'ST10000000000000' };
    expect(await h.hes.updateHwVaultProperties(WS, dto, true)).toEqual({
      code: 607,
      message: 'HesDeviceNotFound (607)',
      data: null,
    });
  });

  it('616: the key is linked but the database has no master key', async () => {
    const h = await start();
    await h.direct({
      op: RemoteOpCode.Link,
      masterKey: foreignMasterKey(),
      code: ascii('123456'),
      attempts: 3,
    });
    expect((await h.announce()).code).toBe(616);
    expect((await h.hes.authHwVault(WS, h.serial)).code).toBe(616);
  });

  it('620: the key is blank but the database expects it linked (Active)', async () => {
    const h = await start();
    await activateFirst(h);
    const master = h.keyMaster;
    if (!master) throw new Error('no master');
    await h.direct({ op: RemoteOpCode.Wipe, masterKey: master });
    expect((await h.announce()).code).toBe(620);
    expect((await h.sync()).code).toBe(620);
    expect(h.hes.vaultStatus(h.serial).status).toBe(VaultStatus.Active);
  });

  it('a status sync for a vault not announced through this workstation answers 511', async () => {
    const h = await start();
    await reserveAndLink(h);
    await h.hes.updateHwVaultProperties(WS, await h.dto(HwVaultConnectionState.Offline), false);
    expect(await h.sync()).toEqual({
      code: 511,
      message: 'DeviceNotConnectedToAnyHost (511)',
      data: null,
    });
  });
});

describe('the AppHub gate and workstation pushes', () => {
  it('an unapproved workstation gets 604 everywhere but registration; approval pushes', async () => {
    open = await harness();
    const h = open;
    h.notifier.live.add(WS);
    expect(await h.hes.registerWorkstationInfo(WS, workstationDto())).toEqual({
      code: 604,
      message: 'HesWorkstationNotApproved (604)',
      data: null,
    });
    expect(h.notifier.pushes.map((p) => [p.target, p.args])).toEqual([
      ['UpdateProximitySettings', [[]]],
      ['UpdateRFIDIndicatorState', [false]],
    ]);
    expect((await h.announce()).code).toBe(604);
    expect((await h.hes.saveClientEvents(WS, [])).code).toBe(604);
    expect((await h.hes.getHwVaultInfoBySerialNo(WS, h.serial)).code).toBe(604);
    expect((await h.hes.getNewHwVaultLicenses(WS, h.serial)).code).toBe(604);

    h.notifier.pushes.length = 0;
    h.hes.approveWorkstation(WS, { rfid: true });
    expect(h.notifier.pushes.map((p) => p.target)).toEqual([
      'UpdateRFIDIndicatorState',
      'WorkstationApproved',
    ]);
    expect((await h.hes.registerWorkstationInfo(WS, workstationDto())).code).toBe(0);
    expect((await h.hes.getHwVaultInfoBySerialNo(WS, h.serial)).data?.vaultSerialNo).toBe(h.serial);

    h.notifier.pushes.length = 0;
    h.hes.unapproveWorkstation(WS);
    expect(h.notifier.pushes.map((p) => p.target)).toEqual(['WorkstationUnapproved']);
    expect(h.hes.listWorkstations()[0]).toMatchObject({
      approved: false,
      rfid: false,
      isOnline: true,
    });
  });

  it('without a WorkstationId header every method answers 1001', async () => {
    const h = await start();
    expect(await h.hes.authHwVault(undefined, h.serial)).toEqual({
      code: 1001,
      message: 'AppHub does not contain WorkstationId!',
      data: null,
    });
  });

  it('registration upserts: a known workstation keeps its name and domain', async () => {
    const h = await start();
    await h.hes.registerWorkstationInfo(
      WS,
      workstationDto(WS, { machineName: 'NEW', domain: 'X', appVersion: '2.0' }),
    );
    expect(h.hes.listWorkstations()[0]).toMatchObject({
      name: 'PC-01',
      domain: 'CORP',
      clientVersion: '2.0',
    });
  });

  it('the alarm answers 618, is pushed to online workstations and survives a restart', async () => {
    const h = await start();
    h.notifier.pushes.length = 0;
    h.hes.setAlarm(true);
    expect(h.notifier.pushes).toEqual([
      { workstationId: WS, target: 'SetAlarmState', args: [true] },
    ]);
    expect((await h.announce()).code).toBe(618);
    h.restart();
    expect((await h.announce()).code).toBe(618);
    h.hes.setAlarm(false);
    h.notifier.pushes.length = 0;
    await h.hes.registerWorkstationInfo(WS, workstationDto(WS, { isAlarmTurnOn: true }));
    expect(h.notifier.pushes.map((p) => [p.target, p.args])).toContainEqual([
      'SetAlarmState',
      [false],
    ]);
  });

  it('vault lookups: unknown ids give 1001 as in HES (no 607)', async () => {
    const h = await start();
    const vault = h.store.vaults.get(h.serial);
    expect((await h.hes.getHwVaultInfoByMac(WS, vault?.mac ?? '')).data?.vaultSerialNo).toBe(
      h.serial,
    );
    expect((await h.hes.getHwVaultInfoByRfid(WS, vault?.rfid ?? '')).data?.vaultSerialNo).toBe(
      h.serial,
    );
    expect((await h.hes.getHwVaultInfoByRfid(WS, 'nope')).code).toBe(1001);
  });

  it('licenses: empty lists; applying an unknown license gives 1001', async () => {
    const h = await start();
    expect(await h.hes.getNewHwVaultLicenses(WS, h.serial)).toEqual({
      code: 0,
      message: null,
      data: [],
    });
    expect(await h.hes.getHwVaultLicenses(WS, h.serial)).toEqual({
      code: 0,
      message: null,
      data: [],
    });
    expect((await h.hes.hwVaultLicenseApplied(WS, h.serial, 'x')).code).toBe(1001);
  });

  it("malformed DTOs give HES's codes, never a throw", async () => {
    const h = await start();
    const codes: number[] = [];
    const bad = [null, {}, { vaultSerialNo: h.serial }, 'x'] as unknown as never[];
    for (const dto of bad) {
      codes.push((await h.hes.updateHwVaultProperties(WS, dto, true)).code);
      codes.push((await h.hes.updateHwVaultStatus(WS, dto)).code);
    }
    // [properties, status] per DTO: a null or non-object DTO is dereferenced (1001); a missing
    // serial finds no vault in UpdateVaultInfoAsync (607) and is null to ConnectDevice (1001);
    // a serial alone misses the NOT NULL firmware (1001), and its vault is connected nowhere (511).
    expect(codes).toEqual([1001, 1001, 607, 1001, 1001, 511, 1001, 1001]);
    expect((await h.hes.registerWorkstationInfo(WS, null as never)).code).toBe(1001);
    expect((await h.hes.saveClientEvents(WS, null as never)).code).toBe(1001);
  });
});

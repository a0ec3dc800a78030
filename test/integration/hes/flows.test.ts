// The named flows of hes-contract.md §2.5 and the gate of §4.2, end to end: the companion's
// real HES client ⇄ the real stand-in ⇄ a real VirtualKey on its HID link, the test acting as
// the companion's workflow and as the administrator. A server of its own for each test.
import { afterEach, describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { HwVaultConnectionState } from '../../../shared/hes/dto';
import { VaultStatus, VaultStatusReason } from '../../../shared/vault/vault-status';
import { isHesError } from '../../../main/hes/hes-error';
import type { HidKey } from './hid-key';
import {
  approvedCompanion,
  outcome,
  rest,
  startCompanion,
  startRig,
  type Companion,
  type Rig,
} from './stand-in-rig';
import { WRONG_CODE, Workflow } from './workflow';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function rigUp(): Promise<Rig> {
  const rig = await startRig();
  closers.push(() => rig.close());
  return rig;
}

function companionOn(rig: Rig): Companion {
  const companion = startCompanion(rig);
  closers.push(() => companion.stop());
  return companion;
}

async function setup(): Promise<{ rig: Rig; companion: Companion; flow: Workflow }> {
  const rig = await rigUp();
  const companion = await approvedCompanion(rig);
  closers.push(() => companion.stop());
  const flow = new Workflow(rig, companion);
  closers.push(() => flow.closeKeys());
  return { rig, companion, flow };
}

/** The code of a rejected vault call (HesError), or a failure if it resolved. */
async function codeOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (e) {
    if (isHesError(e)) return e.code;
    throw e;
  }
  throw new Error('the call succeeded');
}

const history = (flow: Workflow, key: HidKey): [number, number, string][] =>
  flow.standIn.vaultStatus(key.serial).history.map((e) => [e.from, e.to, e.actor]);

describe('§2.5 flows over the real client, stand-in and key', () => {
  it('first activation: Reserve (REST) → Link over the relay → the user types the code → Access → Active', async () => {
    const { rig, companion, flow } = await setup();
    const key = await flow.newKey();
    const employee = await rest(rig, 'POST', '/api/Employees/CreateEmployee', {
      firstName: 'Alice',
      lastName: 'Smith',
      email: 'alice@corp',
    });
    const reserved = await rest(rig, 'POST', '/api/Employees/AddHardwareVault', {
      employeeId: (employee.body as { id: string }).id,
      hardwareVaultId: key.serial,
    });
    expect(reserved.status).toBe(204);
    const code = (
      (await rest(rig, 'GET', `/api/standin/HardwareVaults/${key.serial}/ActivationCode`)).body as {
        activationCode: string;
      }
    ).activationCode;

    const announced = await flow.announce(key);
    expect(announced.info).toMatchObject({
      vaultSerialNo: key.serial,
      ownerName: 'Alice Smith',
      ownerEmail: 'alice@corp',
      needStateUpdate: true,
    });
    expect(flow.status(key)).toBe(VaultStatus.Reserved);
    const opened = companion.event('channelOpened', (e) => e.serialNo === key.serial);
    expect((await flow.sync(key)).code).toBe(0);
    await opened;
    expect(companion.client.openVaultChannels()).toContain(key.serial);
    expect(await key.info()).toMatchObject({
      lockedByCode: true,
      canUnlock: true,
      unlockAttemptsRemain: 3,
    });
    // The relay carried the code to the key sealed: it never saw it.
    expect(companion.relayed.length).toBeGreaterThan(0);
    const seen = companion.relayed.map((b) => Buffer.from(b).toString('latin1')).join('');
    expect(seen).not.toContain(code);

    expect(await key.unlock(code)).toBe(DeviceErrorCode.OK);
    expect((await flow.announce(key)).info?.needStateUpdate).toBe(true);
    const active = await flow.sync(key);
    expect(active.info).toMatchObject({ needStateUpdate: false });
    expect(flow.status(key)).toBe(VaultStatus.Active);
    expect(key.key.state.profile?.pinMaxTries).toBe(10);
    await companion.client.authHwVault(key.serial);
    await companion.client.updateHwVaultAccounts(key.serial, true);
    expect((await flow.announce(key)).info?.needStateUpdate).toBe(false);
    expect(history(flow, key)).toEqual([
      [VaultStatus.Ready, VaultStatus.Reserved, 'admin'],
      [VaultStatus.Reserved, VaultStatus.Active, `sync(${companion.id})`],
    ]);
  });

  it('failed activation: 3 wrong codes → Locked (615) → admin Activate → Suspended → new code → Active', async () => {
    const { companion, flow } = await setup();
    const key = await flow.newKey();
    const firstCode = await flow.reserveAndLink(key);
    expect(await key.unlock(WRONG_CODE)).toBe(DeviceErrorCode.ERR_PIN_WRONG);
    expect(await key.unlock(WRONG_CODE)).toBe(DeviceErrorCode.ERR_PIN_WRONG);
    expect(await key.unlock(WRONG_CODE)).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
    expect(await key.unlock(firstCode)).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);

    const locked = await flow.sync(key);
    expect(locked.code).toBe(HesErrorCode.HesDeviceLocked);
    expect(locked.error?.message).toBe('HesDeviceLocked (615)');
    expect(flow.standIn.vaultStatus(key.serial)).toMatchObject({
      status: VaultStatus.Locked,
      statusReason: VaultStatusReason.InvalidActivationCode,
    });
    expect((await flow.sync(key)).code).toBe(615);
    expect((await flow.announce(key)).code).toBe(615);

    const { activationCode } = flow.standIn.activate(key.serial);
    expect(activationCode).not.toBe(firstCode);
    expect(flow.status(key)).toBe(VaultStatus.Suspended);
    expect((await flow.announce(key)).info?.needStateUpdate).toBe(true);
    expect((await flow.sync(key)).code).toBe(0);
    expect(await key.info()).toMatchObject({ lockedByCode: true, unlockAttemptsRemain: 3 });
    expect(await key.unlock(activationCode)).toBe(DeviceErrorCode.OK);
    expect((await flow.sync(key)).info).not.toHaveProperty('status');
    expect(flow.status(key)).toBe(VaultStatus.Active);
    expect(history(flow, key)).toEqual([
      [VaultStatus.Ready, VaultStatus.Reserved, 'admin'],
      [VaultStatus.Reserved, VaultStatus.Locked, `sync(${companion.id})`],
      [VaultStatus.Locked, VaultStatus.Suspended, 'admin'],
      [VaultStatus.Suspended, VaultStatus.Active, `sync(${companion.id})`],
    ]);
  });

  it('PIN lockout on an Active key → Locked (615, LockedByInvalidPin)', async () => {
    const { flow } = await setup();
    const key = await flow.newKey();
    await flow.activateFirst(key);
    await flow.lockByPin(key);
    expect((await flow.announce(key)).info?.needStateUpdate).toBe(true);
    expect((await flow.sync(key)).code).toBe(HesErrorCode.HesDeviceLocked);
    expect(flow.standIn.vaultStatus(key.serial)).toMatchObject({
      status: VaultStatus.Locked,
      statusReason: VaultStatusReason.LockedByInvalidPin,
    });
    // The admin's new code is the way out: LockDeviceCode also clears the PIN lock.
    const { activationCode } = flow.standIn.activate(key.serial);
    expect((await flow.sync(key)).code).toBe(0);
    expect(await key.unlock(activationCode)).toBe(DeviceErrorCode.OK);
    expect((await flow.sync(key)).code).toBe(0);
    expect(flow.status(key)).toBe(VaultStatus.Active);
  });

  it('Suspend → LockDeviceCode at the next sync → the new code → Active', async () => {
    const { flow } = await setup();
    const key = await flow.newKey();
    await flow.activateFirst(key);
    const { activationCode } = flow.standIn.suspend(key.serial, 'audit');
    const announced = await flow.announce(key);
    expect(announced.info).toMatchObject({
      needStateUpdate: true,
    });
    expect(flow.status(key)).toBe(VaultStatus.Suspended);
    expect((await flow.sync(key)).code).toBe(0);
    expect(await key.info()).toMatchObject({ lockedByCode: true, canUnlock: true });
    expect((await flow.announce(key)).info?.needStateUpdate).toBe(false);
    expect(await key.unlock(activationCode)).toBe(DeviceErrorCode.OK);
    expect((await flow.announce(key)).info?.needStateUpdate).toBe(true);
    expect((await flow.sync(key)).info).not.toHaveProperty('status');
    expect(flow.status(key)).toBe(VaultStatus.Active);
  });

  it('Remove → Deactivated → the next sync wipes the key → Ready, the client gets 1014', async () => {
    const { rig, flow } = await setup();
    const key = await flow.newKey();
    await flow.activateFirst(key);
    const removed = await rest(rig, 'DELETE', '/api/Employees/RemoveHardwareVault', {
      hardwareVaultId: key.serial,
      reason: 'Withdrawal',
    });
    expect(removed.status).toBe(204);
    expect(flow.standIn.vaultStatus(key.serial)).toMatchObject({
      status: VaultStatus.Deactivated,
      statusReason: VaultStatusReason.Withdrawal,
    });
    expect((await flow.announce(key)).info?.needStateUpdate).toBe(true);
    const wiped = await flow.sync(key);
    expect(wiped.code).toBe(HesErrorCode.DeviceHasBeenWiped);
    expect(wiped.error?.message).toBe('DeviceHasBeenWiped (1014)');
    expect((await key.info()).access.linkRequired).toBe(true);
    expect(rig.db.vaults.get(key.serial)).toMatchObject({
      status: VaultStatus.Ready,
      masterPassword: null,
      employeeId: null,
    });
    expect((await flow.sync(key)).code).toBe(HesErrorCode.HesDeviceNotAssignedToAnyUser);
  });

  it('Compromise → 614 on the status sync, 616 in the properties while the key is linked', async () => {
    const { rig, flow } = await setup();
    const key = await flow.newKey();
    await flow.activateFirst(key);
    const compromised = await rest(
      rig,
      'POST',
      `/api/standin/HardwareVaults/${key.serial}/Compromise`,
      { reason: 'Lost', description: 'lost on a train' },
    );
    expect(compromised.status).toBe(204);
    expect((await flow.sync(key)).code).toBe(HesErrorCode.HesDeviceCompromised);
    expect((await flow.announce(key)).code).toBe(HesErrorCode.HesDeviceLinkedToAnotherServer);
    expect(flow.status(key)).toBe(VaultStatus.Compromised);
  });

  it('not assigned: a Ready vault answers 611 to the properties and the status sync', async () => {
    const { flow } = await setup();
    const key = await flow.newKey();
    const announced = await flow.announce(key);
    expect(announced.code).toBe(HesErrorCode.HesDeviceNotAssignedToAnyUser);
    expect(announced.error?.message).toBe('HesDeviceNotAssignedToAnyUser (611)');
    expect((await flow.sync(key)).code).toBe(611);
    expect(flow.status(key)).toBe(VaultStatus.Ready);
    expect((await key.info()).access.linkRequired).toBe(true);
  });

  it('linked to another server: a key activated on server B answers 616 on server A', async () => {
    const rigA = await rigUp();
    const rigB = await rigUp();
    const companion = await approvedCompanion(rigB);
    closers.push(() => companion.stop());
    const onB = new Workflow(rigB, companion);
    closers.push(() => onB.closeKeys());
    const key = await onB.newKey();
    await onB.activateFirst(key);

    // The same key is imported into A, and the companion is moved to A at run time.
    rigA.server.standIn.importVaults([key.record]);
    await companion.client.setServerUrl(rigA.server.url);
    await companion.until('notApproved');
    rigA.server.standIn.approveWorkstation(companion.id);
    await companion.until('connected');
    const onA = new Workflow(rigA, companion);
    const announced = await onA.announce(key);
    expect(announced.code).toBe(HesErrorCode.HesDeviceLinkedToAnotherServer);
    expect(await codeOf(companion.client.authHwVault(key.serial))).toBe(616);
    expect(onA.status(key)).toBe(VaultStatus.Ready);
    // Server B still owns it.
    expect(onB.status(key)).toBe(VaultStatus.Active);
  });
});

describe('the workstation gate (§4.2) over the real client', () => {
  it('unapproved workstation: 604 everywhere, notApproved, then approval and unapproval pushed at once', async () => {
    const rig = await rigUp();
    const companion = companionOn(rig);
    await companion.until('notApproved');
    const flow = new Workflow(rig, companion);
    closers.push(() => flow.closeKeys());
    const key = await flow.newKey();
    expect((await flow.announce(key)).code).toBe(HesErrorCode.HesWorkstationNotApproved);
    expect(await codeOf(companion.client.getHwVaultInfoBySerialNo(key.serial))).toBe(604);
    expect(await codeOf(companion.client.saveClientEvents([]))).toBe(604);
    expect(rig.server.standIn.listWorkstations()).toEqual([
      expect.objectContaining({ id: companion.id, approved: false, isOnline: true }),
    ]);

    // HES's UI approval (it pushes WorkstationApproved; its REST route does not).
    rig.server.standIn.approveWorkstation(companion.id);
    await companion.until('connected');
    expect((await companion.client.getHwVaultInfoBySerialNo(key.serial))?.vaultSerialNo).toBe(
      key.serial,
    );

    rig.server.standIn.unapproveWorkstation(companion.id);
    await companion.until('notApproved');
    expect((await flow.announce(key)).code).toBe(604);
  });

  it('alarm: 618 and the alarm state, for a live workstation and for one connecting', async () => {
    const { rig, companion, flow } = await setup();
    const key = await flow.newKey();
    await flow.activateFirst(key);
    expect((await rest(rig, 'POST', '/api/standin/Alarm/On')).status).toBe(204);
    await companion.until('alarm');
    expect((await flow.announce(key)).code).toBe(HesErrorCode.HesAlarm);
    expect((await flow.sync(key)).code).toBe(618);
    expect(await codeOf(companion.client.authHwVault(key.serial))).toBe(618);

    const late = companionOn(rig);
    await late.until('notApproved');
    rig.server.standIn.approveWorkstation(late.id);
    await late.until('alarm');
    expect(late.client.alarm).toBe(true);

    await rest(rig, 'POST', '/api/standin/Alarm/Off');
    await companion.until('connected');
    await late.until('connected');
    expect((await flow.announce(key)).code).toBe(0);
    expect(flow.status(key)).toBe(VaultStatus.Active);
  });

  it('an unknown serial answers 511 (HES connects before it looks the vault up); a vault announced Offline is no longer reachable (511)', async () => {
    const { companion, flow } = await setup();
    const key = await flow.newKey();
    await flow.reserveAndLink(key);
    const dto = companion.client.buildVaultDto(await key.info(), HwVaultConnectionState.Online);
    expect(
      (await outcome(companion.client.updateHwVaultStatus({ ...dto, vaultSerialNo: 'ST404' })))
        .code,
    ).toBe(HesErrorCode.DeviceNotConnectedToAnyHost);
    // The key leaves: the companion closes its channel and reports Offline.
    await companion.client.closeVaultChannel(key.serial);
    await companion.client.updateHwVaultProperties(
      companion.client.buildVaultDto(await key.info(), HwVaultConnectionState.Offline),
      false,
    );
    expect((await flow.sync(key)).code).toBe(HesErrorCode.DeviceNotConnectedToAnyHost);
    // Announced again, the vault is reachable again.
    await flow.announce(key);
    expect(await key.unlock(WRONG_CODE)).toBe(DeviceErrorCode.ERR_PIN_WRONG);
    expect((await flow.sync(key)).code).toBe(0);
  });
});

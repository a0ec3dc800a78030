// Proofs of the rows about what HES answers: the vault info's members, the envelope's forms,
// and the texts of its exceptions, with the real client against a started stand-in.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { HwVaultConnectionState } from '../../../../../shared/hes/dto';
import { ActivationStatus, TaskOperation } from '../../../../../emulator/hes/store/records';
import type { ProofMap } from './proof';
import { failure, hubWorld, NULL_REFERENCE, reserveVault, type HubWorld } from './hub-calls-world';

async function info(world: HubWorld): Promise<Record<string, unknown>> {
  const reply = await world.ws.invoke<Record<string, unknown>>(
    'UpdateHwVaultProperties',
    await world.dto(HwVaultConnectionState.Online),
    true,
  );
  expect(reply).toMatchObject({ code: 0, message: null });
  return reply.data ?? {};
}

const shortInfo = async (world: HubWorld) =>
  (await world.ws.invoke<Record<string, unknown>>('GetHwVaultInfoBySerialNo', world.serial)).data;

const task = (world: HubWorld, operation: number, accountId: string | null) =>
  world.db.tasks.insert({
    vaultId: world.serial,
    accountId,
    operation: operation as TaskOperation,
    createdAt: new Date().toISOString(),
    timestamp: 0,
  });

export const PROOFS: ProofMap = {
  '2.17': async () => {
    const world = await hubWorld();
    expect(await shortInfo(world)).toMatchObject({ ownerName: null });
    reserveVault(world, 'Ann', '  ');
    expect(await shortInfo(world)).toMatchObject({ ownerName: 'Ann' });
    expect(await info(world)).toMatchObject({ ownerName: 'Ann' });
  },

  '2.18': async () => {
    const world = await hubWorld();
    expect(await shortInfo(world)).toMatchObject({ ownerEmail: null });
    reserveVault(world, 'Bea', 'Roe');
    expect(await info(world)).toMatchObject({
      ownerName: 'Bea Roe',
      ownerEmail: 'bea@corp.example',
    });
  },

  '2.19': async () => {
    const world = await hubWorld();
    reserveVault(world);
    const vault = world.db.vaults.get(world.serial);
    expect(await info(world)).toMatchObject({
      vaultMac: vault?.mac,
      vaultSerialNo: vault?.id,
      vaultRfid: vault?.rfid,
    });
  },

  '2.20': async () => {
    const world = await hubWorld();
    reserveVault(world);
    expect(await info(world)).toMatchObject({ needUpdateLicense: false });
    world.server.standIn.addLicense(world.serial);
    expect(world.db.vaults.get(world.serial)?.hasNewLicense).toBe(true);
    expect(await info(world)).toMatchObject({ needUpdateLicense: true });
  },

  '2.21': async () => {
    const world = await hubWorld();
    reserveVault(world);
    // Reserved and the key blank: the vault needs its link.
    expect(await info(world)).toMatchObject({ needStateUpdate: true });
    const locked = await world.ws.invoke<Record<string, unknown>>(
      'UpdateHwVaultProperties',
      await world.dto(HwVaultConnectionState.Online, {
        isLinkRequired: false,
        isLocked: true,
        isCanUnlock: true,
      }),
      true,
    );
    expect(locked.data).toMatchObject({ needStateUpdate: false });
  },

  '2.22': async () => {
    const world = await hubWorld();
    const employeeId = reserveVault(world);
    expect(await info(world)).toMatchObject({
      needUpdateOSAccounts: false,
      needUpdateNonOSAccounts: false,
    });
    task(world, TaskOperation.Primary, null);
    expect(await info(world)).toMatchObject({
      needUpdateOSAccounts: true,
      needUpdateNonOSAccounts: false,
    });
    const account = world.db.accounts.insert({ employeeId, name: 'Mail', login: 'ann' });
    task(world, TaskOperation.Update, account.id);
    expect(await info(world)).toMatchObject({
      needUpdateOSAccounts: true,
      needUpdateNonOSAccounts: true,
    });
  },

  '2.24': async () => {
    const world = await hubWorld();
    reserveVault(world);
    expect(Object.keys((await shortInfo(world)) ?? {}).sort()).toEqual([
      'ownerEmail',
      'ownerName',
      'vaultMac',
      'vaultRfid',
      'vaultSerialNo',
    ]);
  },

  '2.31': async () => {
    const world = await hubWorld();
    expect(await world.ws.invoke('HwVaultLicenseApplied', world.serial, randomUUID())).toEqual(
      failure(1001, 'Hardware Vault licenses not found.'),
    );
    // A reserved vault whose activation code is gone cannot be linked (RTS.LinkVaultAsync).
    reserveVault(world);
    world.db.activations.setPending(world.serial, ActivationStatus.Canceled);
    const announce = await world.dto(HwVaultConnectionState.Initializing);
    expect((await world.ws.invoke('UpdateHwVaultProperties', announce, false)).code).toBe(0);
    expect(await world.ws.invoke('UpdateHwVaultStatus', await world.dto())).toEqual(
      failure(1001, 'Activation Code not found'),
    );
  },

  '2.32': async () => {
    const world = await hubWorld();
    expect(await world.ws.invoke('GetHwVaultInfoByMac', 'none')).toEqual(
      failure(1001, NULL_REFERENCE),
    );
    expect(await world.ws.invoke('RegisterWorkstationInfo', null)).toEqual(
      failure(1001, "Value cannot be null. (Parameter 'workstationInfoDto')"),
    );
    expect(await world.ws.invoke('RegisterWorkstationInfo', {})).toEqual(
      failure(1001, "Value cannot be null. (Parameter 'key')"),
    );
    expect(await world.ws.invoke('UpdateHwVaultStatus', null)).toEqual(
      failure(1001, NULL_REFERENCE),
    );
    const noFirmware = await world.dto(HwVaultConnectionState.Online, { firmwareVersion: null });
    expect(await world.ws.invoke('UpdateHwVaultProperties', noFirmware, false)).toEqual(
      failure(
        1001,
        'An error occurred while updating the entries. See the inner exception for details.',
      ),
    );
  },

  '2.33': async () => {
    const world = await hubWorld();
    expect(await world.ws.register()).toEqual({ code: 0, message: '', data: null });
    expect(await world.ws.invoke('SaveClientEvents', [])).toEqual({
      code: 0,
      message: '',
      data: null,
    });
    expect(
      await world.ws.invoke(
        'UpdateHwVaultProperties',
        await world.dto(HwVaultConnectionState.Online),
        false,
      ),
    ).toEqual({ code: 0, message: null, data: null });
    expect(await world.ws.invoke('GetHwVaultInfoBySerialNo', world.serial)).toMatchObject({
      code: 0,
      message: null,
      data: { vaultSerialNo: world.serial },
    });
    expect(await world.ws.invoke('GetHwVaultInfoBySerialNo', 'none')).toMatchObject({
      data: null,
    });
  },

  '2.34': async () => {
    const world = await hubWorld();
    const stranger = await world.connect('ws-2-34');
    expect(await stranger.invoke('GetHwVaultInfoBySerialNo', world.serial)).toEqual(
      failure(604, 'HesWorkstationNotApproved (604)'),
    );
    expect(
      await world.ws.invoke(
        'UpdateHwVaultProperties',
        await world.dto(HwVaultConnectionState.Online, { vaultSerialNo: 'none' }),
        false,
      ),
    ).toEqual(failure(607, 'HesDeviceNotFound (607)'));
    world.server.standIn.setAlarm(true);
    expect(await world.ws.invoke('GetHwVaultInfoBySerialNo', world.serial)).toEqual(
      failure(618, 'HesAlarm (618)'),
    );
  },
};

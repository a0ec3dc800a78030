// Proofs of the rows about the DTOs a client sends (WorkstationInfoDto, HwVaultInfoFromClientDto)
// as HES's binder and methods read them, with the real client against a started stand-in.
import { expect } from 'vitest';
import { HwVaultConnectionState } from '../../../../../shared/hes/dto';
import { VaultStatus } from '../../../../../shared/vault/vault-status';
import type { ProofMap } from './proof';
import {
  expectBindingFailure,
  failure,
  hubWorld,
  reserveVault,
  type HubWorld,
} from './hub-calls-world';

const DB_UPDATE =
  'An error occurred while updating the entries. See the inner exception for details.';

/** UpdateHwVaultProperties(the key's report with `extra`, returnInfo). */
async function report(world: HubWorld, extra: Record<string, unknown>, returnInfo = false) {
  return world.ws.invoke(
    'UpdateHwVaultProperties',
    await world.dto(HwVaultConnectionState.Online, extra),
    returnInfo,
  );
}

const row = (world: HubWorld, id: string) => {
  const ws = world.db.workstations.get(id);
  if (!ws) throw new Error(`no workstation ${id}`);
  const { lastSeen: _, ...rest } = ws;
  return rest;
};

export const PROOFS: ProofMap = {
  '2.1': async () => {
    const world = await hubWorld();
    const ws = await world.connect('ws-2-1');
    expect(await ws.invoke('RegisterWorkstationInfo', { machineName: 'PC-NO-ID' })).toEqual(
      failure(1001, "Value cannot be null. (Parameter 'key')"),
    );
    expect(ws.pushes).toEqual([]);
    expect(world.db.workstations.list().map((w) => w.id)).toEqual([world.ws.id]);
    // The id keys both the row and the live connection.
    expect((await ws.register({ id: 'ws-2-1-b' })).code).toBe(604);
    expect(world.db.workstations.get('ws-2-1-b')?.name).toBe('PC-TEST');
    expect(ws.pushes.map((p) => p.target)).toEqual([
      'UpdateProximitySettings',
      'UpdateRFIDIndicatorState',
    ]);
  },

  '2.2': async () => {
    const world = await hubWorld({ id: 'ws-2-2' });
    expect(world.db.workstations.get('ws-2-2')).toMatchObject({ name: 'PC-TEST', domain: 'CORP' });
    expect((await world.ws.register({ machineName: 'PC-RENAMED', domain: 'OTHER' })).code).toBe(0);
    expect(world.db.workstations.get('ws-2-2')).toMatchObject({ name: 'PC-TEST', domain: 'CORP' });
  },

  '2.3': async () => {
    const world = await hubWorld({ id: 'ws-2-3' });
    expect(world.db.workstations.get('ws-2-3')).toMatchObject({
      clientVersion: '0.1.0',
      os: 'Linux',
      ip: '127.0.0.1',
    });
    const next = { appVersion: '3.7.1.0', osName: 'Windows 10', ip: '10.0.0.5' };
    expect((await world.ws.register(next)).code).toBe(0);
    expect(world.db.workstations.get('ws-2-3')).toMatchObject({
      clientVersion: '3.7.1.0',
      os: 'Windows 10',
      ip: '10.0.0.5',
    });
  },

  '2.4': async () => {
    const world = await hubWorld({ id: 'ws-2-4' });
    const before = row(world, 'ws-2-4');
    const reply = await world.ws.invoke('RegisterWorkstationInfo', {
      id: 'ws-2-4',
      machineName: 'PC-TEST',
      domain: 'CORP',
      appVersion: '0.1.0',
      osName: 'Linux',
      ip: '127.0.0.1',
      osVersion: '99',
      osBuild: 'x',
      mac: 'FF',
      users: ['CORP\\bob', null],
    });
    expect(reply.code).toBe(0);
    expect(row(world, 'ws-2-4')).toEqual(before);
  },

  '2.5': async () => {
    const world = await hubWorld();
    const alarms = () =>
      world.ws.pushes.filter((p) => p.target === 'SetAlarmState').map((p) => p.args[0]);
    expect((await world.ws.register({ isAlarmTurnOn: false })).code).toBe(0);
    expect(alarms()).toEqual([]);
    expect((await world.ws.register({ isAlarmTurnOn: true })).code).toBe(0);
    expect(alarms()).toEqual([false]);
    world.server.standIn.setAlarm(true);
    await world.ws.nextPush((p) => p.target === 'SetAlarmState' && p.args[0] === true);
    expect((await world.ws.register({ isAlarmTurnOn: true })).code).toBe(618);
    expect(alarms()).toEqual([false, true]);
  },

  '2.7': async () => {
    const world = await hubWorld();
    reserveVault(world);
    const first = await report(world, { version: '1.0.0.0' }, true);
    expect(first.code).toBe(0);
    for (const version of [null, 'anything', '']) {
      expect(await report(world, { version }, true)).toEqual(first);
    }
  },

  '2.8': async () => {
    const world = await hubWorld();
    expect((await report(world, { battery: 11 })).code).toBe(0);
    expect(world.db.vaults.get(world.serial)?.battery).toBe(11);
    for (const vaultSerialNo of [undefined, null, '', 'ST-UNKNOWN']) {
      expect(await report(world, { vaultSerialNo }), String(vaultSerialNo)).toEqual(
        failure(607, 'HesDeviceNotFound (607)'),
      );
    }
  },

  '2.9': async () => {
    const world = await hubWorld();
    for (const battery of [-128, 0, 127]) {
      expect((await report(world, { battery })).code).toBe(0);
      expect(world.db.vaults.get(world.serial)?.battery).toBe(battery);
    }
    for (const battery of [128, -129, 1.5, '50']) {
      await expectBindingFailure(report(world, { battery }), 'UpdateHwVaultProperties');
    }
  },

  '2.10': async () => {
    const world = await hubWorld();
    expect((await report(world, { firmwareVersion: '3.5.2.0', battery: 50 })).code).toBe(0);
    expect(world.db.vaults.get(world.serial)).toMatchObject({ firmware: '3.5.2.0', battery: 50 });
    for (const firmwareVersion of [undefined, null]) {
      expect(await report(world, { firmwareVersion, battery: 20 })).toEqual(
        failure(1001, DB_UPDATE),
      );
    }
    // The failed write stored nothing.
    expect(world.db.vaults.get(world.serial)).toMatchObject({ firmware: '3.5.2.0', battery: 50 });
  },

  '2.11': async () => {
    const world = await hubWorld();
    const need = async (flags: Record<string, boolean>) => report(world, flags, true);
    // No master key and a key that says it is linked: 616, before the status (Ready) is seen.
    expect(await need({ isLinkRequired: false })).toEqual(
      failure(616, 'HesDeviceLinkedToAnotherServer (616)'),
    );
    reserveVault(world);
    const reserved: [Record<string, boolean>, boolean][] = [
      [{ isLinkRequired: true }, true],
      [{ isLinkRequired: false, isLocked: false }, true],
      [{ isLinkRequired: false, isLocked: true, isCanUnlock: false }, true],
      [{ isLinkRequired: false, isLocked: true, isCanUnlock: true }, false],
    ];
    for (const [flags, needStateUpdate] of reserved) {
      const reply = await need(flags);
      expect(reply.data, JSON.stringify(flags)).toMatchObject({ needStateUpdate });
    }
    // With a master key, a blank key on an Active vault was wiped by hand: 620.
    world.db.vaults.update(world.serial, { status: VaultStatus.Active });
    expect(await need({ isLinkRequired: true })).toEqual(
      failure(620, 'HesVaultWasManuallyWiped (620)'),
    );
  },

  '2.12': async () => {
    const world = await hubWorld();
    reserveVault(world);
    const base = await report(world, {}, true);
    const unused = {
      isLockedByPin: true,
      isLockedByCode: true,
      isNewPinRequired: true,
      isMasterKeyRequired: true,
      isPinRequired: true,
      isButtonRequired: true,
      mac: 'somewhere',
      storageTotalSize: 4_294_967_295,
      storageFreeSize: 0,
      unlockAttemptsRemain: 255,
      minPinLength: 0,
      pinAttemptsRemain: 1,
      maxMessageSize: 65_535,
    };
    expect(await report(world, unused, true)).toEqual(base);
  },

  '2.13': async () => {
    const world = await hubWorld();
    for (const bootloaderVersion of [null, {}, { major: 1, minor: 2 }]) {
      expect((await report(world, { bootloaderVersion })).code).toBe(0);
    }
    for (const bootloaderVersion of ['1.0.2.0', 1, []]) {
      await expectBindingFailure(report(world, { bootloaderVersion }), 'UpdateHwVaultProperties');
    }
  },

  '2.14': async () => {
    const world = await hubWorld();
    for (const storageTimestamp of [0, 4_294_967_295, 77]) {
      expect((await report(world, { storageTimestamp })).code).toBe(0);
      expect(world.db.vaults.get(world.serial)?.timestamp).toBe(storageTimestamp);
    }
    await expectBindingFailure(report(world, { storageTimestamp: -1 }), 'UpdateHwVaultProperties');
  },

  '2.15': async () => {
    const world = await hubWorld();
    for (const deviceTime of [undefined, '2026-01-01', '2026-01-01T10:00:00.1234567+02:00']) {
      expect((await report(world, { deviceTime })).code).toBe(0);
    }
    for (const deviceTime of ['01/02/2026', '2026-01-01 10:00', null, 0]) {
      await expectBindingFailure(report(world, { deviceTime }), 'UpdateHwVaultProperties');
    }
  },

  '2.16': async () => {
    const world = await hubWorld();
    for (const connectionState of [undefined, 7, -5, 2_147_483_647]) {
      expect(await report(world, { connectionState }), String(connectionState)).toEqual({
        code: 0,
        message: null,
        data: null,
      });
    }
    for (const connectionState of ['Online', null, 2_147_483_648]) {
      await expectBindingFailure(report(world, { connectionState }), 'UpdateHwVaultProperties');
    }
  },
};

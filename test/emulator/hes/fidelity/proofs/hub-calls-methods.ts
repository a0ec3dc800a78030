// Proofs of the AppHub method rows (connection binding, null and partial DTOs, registration,
// events, lookups, property reports, disconnect), with the real @microsoft/signalr client
// against a started stand-in (../prove.ts).
import { expect } from 'vitest';
import { HwVaultConnectionState } from '../../../../../shared/hes/dto';
import { until } from '../../server/stand-in-hosts';
import type { ProofMap } from './proof';
import {
  everyCall,
  expectUnexpectedError,
  failure,
  hubWorld,
  NO_WORKSTATION_ID,
  NULL_REFERENCE,
  reserveVault,
  roundTrip,
  type HubWorld,
} from './hub-calls-world';

const NOT_ANNOUNCED = failure(511, 'DeviceNotConnectedToAnyHost (511)');
const ok = { code: 0, message: '', data: null };

const isOnline = (world: HubWorld, id: string): boolean | undefined =>
  world.server.standIn.listWorkstations().find((w) => w.id === id)?.isOnline;

const alarmPushes = (pushes: readonly { target: string; args: readonly unknown[] }[]) =>
  pushes.filter((p) => p.target === 'SetAlarmState').map((p) => p.args[0]);

export const PROOFS: ProofMap = {
  '1.4': async () => {
    const world = await hubWorld();
    for (const header of [undefined, ' \t ']) {
      const ws = await world.connect(header);
      const calls = await everyCall(world, 'ws-no-header');
      for (const [method, args] of calls) {
        expect(await ws.invoke(method, ...args), method).toEqual(failure(1001, NO_WORKSTATION_ID));
      }
      // The connection stays; the registration still stored its row (upsert before the gate).
      expect(ws.appHub.state).toBe('Connected');
      expect(world.db.workstations.get('ws-no-header')?.approved).toBe(false);
    }
  },

  '1.5': async () => {
    const world = await hubWorld({ id: 'ws-1-5' });
    const unregistered = await world.connect('ws-1-5-late');
    const byHeader = await world.connect('ws-1-5-header');
    // Registered under the DTO's id, whatever the header says.
    expect((await byHeader.register({ id: 'ws-1-5-dto' })).code).toBe(604);
    expect(isOnline(world, 'ws-1-5')).toBe(true);
    expect(isOnline(world, 'ws-1-5-dto')).toBe(true);
    expect(world.db.workstations.get('ws-1-5-header')).toBeUndefined();
    world.server.standIn.setAlarm(true);
    await world.ws.nextPush((p) => p.target === 'SetAlarmState');
    await byHeader.nextPush((p) => p.target === 'SetAlarmState');
    await roundTrip(unregistered);
    expect(alarmPushes(unregistered.pushes)).toEqual([]);
    // Once it registers, it is the live connection of its id.
    world.server.standIn.setAlarm(false);
    expect((await unregistered.register()).code).toBe(604);
    expect(isOnline(world, 'ws-1-5-late')).toBe(true);
    world.server.standIn.setAlarm(true);
    await unregistered.nextPush((p) => p.target === 'SetAlarmState' && p.args[0] === true);
  },

  '1.9': async () => {
    const world = await hubWorld();
    const answers: [string, unknown[], string][] = [
      ['RegisterWorkstationInfo', [null], "Value cannot be null. (Parameter 'workstationInfoDto')"],
      ['SaveClientEvents', [null], "Value cannot be null. (Parameter 'workstationEventsDto')"],
      ['UpdateHwVaultProperties', [null, true], NULL_REFERENCE],
      ['UpdateHwVaultStatus', [null], NULL_REFERENCE],
    ];
    for (const [method, args, message] of answers) {
      expect(await world.ws.invoke(method, ...args), method).toEqual(failure(1001, message));
    }
    // From a workstation the gate refuses, HES's catch block dereferences the null DTO itself.
    const stranger = await world.connect('ws-1-9-unapproved');
    await expectUnexpectedError(
      stranger.invoke('UpdateHwVaultProperties', null, false),
      'UpdateHwVaultProperties',
    );
    await expectUnexpectedError(
      stranger.invoke('UpdateHwVaultStatus', null),
      'UpdateHwVaultStatus',
    );
    expect(await stranger.invoke('RegisterWorkstationInfo', null)).toEqual(
      failure(1001, "Value cannot be null. (Parameter 'workstationInfoDto')"),
    );
  },

  '1.10': async () => {
    const world = await hubWorld();
    const dto = await world.dto(HwVaultConnectionState.Initializing);
    const without = (name: string): Record<string, unknown> => {
      const copy = { ...dto };
      delete copy[name];
      return copy;
    };
    // A missing serial is null: no vault has it (607 from HVS.UpdateVaultInfoAsync).
    expect(
      await world.ws.invoke('UpdateHwVaultProperties', without('vaultSerialNo'), false),
    ).toEqual(failure(607, 'HesDeviceNotFound (607)'));
    // A missing connectionState is 0, Offline: the announcement just made is forgotten.
    expect((await world.ws.invoke('UpdateHwVaultProperties', dto, false)).code).toBe(0);
    expect(
      await world.ws.invoke('UpdateHwVaultProperties', without('connectionState'), false),
    ).toEqual({ code: 0, message: null, data: null });
    expect(await world.ws.invoke('UpdateHwVaultStatus', dto)).toEqual(NOT_ANNOUNCED);
    // A missing eventId is 0; missing strings are null.
    expect(
      await world.ws.invoke('SaveClientEvents', [
        { id: 'e-1-10', date: '2026-01-01T00:00:00Z', workstationId: world.ws.id },
      ]),
    ).toEqual(ok);
    expect(world.db.events.list()).toMatchObject([
      { id: 'e-1-10', eventId: 0, severityId: 0, note: null, userSession: null },
    ]);
  },

  '1.11': async () => {
    const world = await hubWorld({ approved: false });
    const id = world.ws.id;
    expect(world.db.workstations.get(id)).toMatchObject({
      approved: false,
      rfid: false,
      name: 'PC-TEST',
      domain: 'CORP',
      clientVersion: '0.1.0',
      os: 'Linux',
      ip: '127.0.0.1',
    });
    expect(world.ws.pushes).toEqual([
      { target: 'UpdateProximitySettings', args: [[]] },
      { target: 'UpdateRFIDIndicatorState', args: [false] },
    ]);
    world.server.standIn.approveWorkstation(id);
    const again = {
      machineName: 'PC-NEW',
      domain: 'NEW',
      appVersion: '2.0.0',
      osName: 'Windows',
      ip: '10.0.0.9',
      isAlarmTurnOn: true,
    };
    expect(await world.ws.register(again)).toEqual(ok);
    // An update takes version, OS and IP only; a client that thinks the alarm is on is told off.
    expect(world.db.workstations.get(id)).toMatchObject({
      name: 'PC-TEST',
      domain: 'CORP',
      clientVersion: '2.0.0',
      os: 'Windows',
      ip: '10.0.0.9',
    });
    await world.ws.nextPush((p) => p.target === 'SetAlarmState' && p.args[0] === false);
    world.server.standIn.setAlarm(true);
    const before = alarmPushes(world.ws.pushes).length;
    expect(await world.ws.register(again)).toEqual(failure(618, 'HesAlarm (618)'));
    expect(alarmPushes(world.ws.pushes).slice(before)).toEqual([true]);
  },

  '1.12': async () => {
    const world = await hubWorld();
    const stranger = await world.connect('ws-1-12');
    // The null check comes before the gate; the gate before any event.
    expect(await stranger.invoke('SaveClientEvents', null)).toEqual(
      failure(1001, "Value cannot be null. (Parameter 'workstationEventsDto')"),
    );
    const event = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      date: '2026-01-01T10:00:00',
      eventId: 3,
      workstationId: world.ws.id,
      ...extra,
    });
    expect(await stranger.invoke('SaveClientEvents', [event('e-stranger')])).toEqual(
      failure(604, 'HesWorkstationNotApproved (604)'),
    );
    const batch = [
      event('e1'),
      null,
      event('e-elsewhere', { workstationId: 'ws-unknown' }),
      event('e1', { eventId: 4 }),
      event('e2'),
    ];
    expect(await world.ws.invoke('SaveClientEvents', batch)).toEqual(ok);
    expect(world.db.events.list().map((e) => [e.id, e.eventId])).toEqual([
      ['e1', 3],
      ['e2', 3],
    ]);
  },

  '1.13': async () => {
    const world = await hubWorld();
    reserveVault(world, 'Ann', 'Lee');
    const vault = world.db.vaults.get(world.serial);
    if (!vault) throw new Error('no vault');
    const info = {
      ownerName: 'Ann Lee',
      ownerEmail: 'ann@corp.example',
      vaultMac: vault.mac,
      vaultSerialNo: vault.id,
      vaultRfid: vault.rfid,
    };
    const lookups: [string, string][] = [
      ['GetHwVaultInfoByRfid', vault.rfid],
      ['GetHwVaultInfoByMac', vault.mac],
      ['GetHwVaultInfoBySerialNo', vault.id],
    ];
    for (const [method, key] of lookups) {
      expect(await world.ws.invoke(method, key), method).toEqual({
        code: 0,
        message: null,
        data: info,
      });
      for (const unknown of ['no-such-vault', null]) {
        expect(await world.ws.invoke(method, unknown), method).toEqual(
          failure(1001, NULL_REFERENCE),
        );
      }
    }
  },

  '1.14': async () => {
    const world = await hubWorld();
    const report = async (state: number, returnInfo: boolean, extra = {}) =>
      world.ws.invoke(
        'UpdateHwVaultProperties',
        await world.dto(HwVaultConnectionState.Online, {
          connectionState: state,
          ...extra,
        }),
        returnInfo,
      );
    expect(
      await report(3, false, { battery: 77, firmwareVersion: '9.9.9.9', storageTimestamp: 1234 }),
    ).toEqual({
      code: 0,
      message: null,
      data: null,
    });
    expect(world.db.vaults.get(world.serial)).toMatchObject({
      battery: 77,
      firmware: '9.9.9.9',
      timestamp: 1234,
    });
    expect(world.db.vaults.get(world.serial)?.lastSynced).not.toBeNull();
    // The info's errors replace the reply (a Ready vault: 611); an unknown vault is 607.
    expect(await report(3, true)).toEqual(failure(611, 'HesDeviceNotAssignedToAnyUser (611)'));
    expect(await report(3, false, { vaultSerialNo: 'ST-UNKNOWN' })).toEqual(
      failure(607, 'HesDeviceNotFound (607)'),
    );
    reserveVault(world);
    expect(await report(3, true)).toMatchObject({
      code: 0,
      message: null,
      data: { vaultSerialNo: world.serial },
    });
    // Finalizing and undefined states do nothing: the vault is not announced.
    for (const state of [2, 9, -1]) expect((await report(state, false)).code).toBe(0);
    expect(await world.ws.invoke('UpdateHwVaultStatus', await world.dto())).toEqual(NOT_ANNOUNCED);
    // Initializing announces it through this workstation (the status update asks for it);
    // Offline forgets it.
    expect((await report(1, false)).code).toBe(0);
    const status = world.ws.invoke('UpdateHwVaultStatus', await world.dto());
    await world.ws.nextPush((p) => p.target === 'EstablishRemoteHwVaultConnection');
    await status;
    expect((await report(0, false)).code).toBe(0);
    expect(await world.ws.invoke('UpdateHwVaultStatus', await world.dto())).toEqual(NOT_ANNOUNCED);
  },

  '1.22': async () => {
    const world = await hubWorld({ id: 'ws-1-22' });
    expect(
      (
        await world.ws.invoke(
          'UpdateHwVaultProperties',
          await world.dto(HwVaultConnectionState.Initializing),
          false,
        )
      ).code,
    ).toBe(0);
    const open = {
      id: 'e-open',
      date: '2026-01-01T10:00:00Z',
      eventId: 15,
      workstationId: 'ws-1-22',
      workstationSessionId: 's-1-22',
    };
    expect(await world.ws.invoke('SaveClientEvents', [open])).toEqual(ok);
    expect(world.db.sessions.get('s-1-22')?.endDate).toBeNull();
    await world.ws.appHub.stop();
    await until(() => world.db.sessions.get('s-1-22')?.endDate !== null);
    expect(isOnline(world, 'ws-1-22')).toBe(false);
    // Back again: the vault must be announced anew.
    const again = await world.connect('ws-1-22');
    expect((await again.register()).code).toBe(0);
    expect(await again.invoke('UpdateHwVaultStatus', await world.dto())).toEqual(NOT_ANNOUNCED);
  },
};

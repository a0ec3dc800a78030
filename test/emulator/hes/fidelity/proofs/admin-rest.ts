// Proofs of the catalogue rows about the admin side (see ../prove.ts), keyed by row id: here
// the alarm, approval, proximity and workstation persistence; the licences and the REST
// contract in their own files. Each starts a real stand-in, talks to it over real HTTP and the
// real @microsoft/signalr client, and fails unless the stand-in behaves as the row says.
import { expect } from 'vitest';
import { HesErrorCode } from '../../../../../shared/errors/hes-error-code';
import { VaultStatusReason } from '../../../../../shared/vault/vault-status';
import { rest, TestWorkstation } from '../../server/stand-in-hosts';
import {
  adminWorld,
  barrier,
  clearPushes,
  anyString,
  createDepartment,
  like,
  pushed,
  registered,
  reserveFor,
  type AdminWorld,
} from './admin-world';
import { CONTRACT_PROOFS } from './admin-rest-contract';
import { LICENCE_PROOFS } from './admin-rest-licences';
import { IDENTITY_PROOFS } from './admin-identity';
import type { ProofMap } from './proof';

const NULL_REFERENCE = 'Object reference not set to an instance of an object.';
const DB_UPDATE =
  'An error occurred while updating the entries. See the inner exception for details.';

const entity = async (world: AdminWorld, path: string): Promise<Record<string, unknown>> => {
  const reply = await rest(world.server, 'GET', path);
  expect(reply.status).toBe(200);
  return reply.body as Record<string, unknown>;
};
const workstation = (world: AdminWorld, id: string) =>
  entity(world, `/api/Workstations/GetWorkstationById/${id}`);
const vault = (world: AdminWorld, id: string) =>
  entity(world, `/api/HardwareVaults/GetHardwareVaultById/${id}`);
const approveBody = (id: string, departmentId: string, rfidEnabled = true) => ({
  id,
  departmentId,
  rfidEnabled,
});
const problem = (status: number) => like({ status, title: anyString() });

/** A pair through HES's route; the pair's id. */
async function addPair(world: AdminWorld, wsId: string, serial: string): Promise<string> {
  const added = await rest(world.server, 'POST', '/api/Workstations/AddProximityVault', {
    workstationId: wsId,
    hardwareVaultId: serial,
  });
  expect(added.status).toBe(201);
  return (added.body as { id: string }).id;
}

export const PROOFS: ProofMap = {
  ...LICENCE_PROOFS,
  ...CONTRACT_PROOFS,
  ...IDENTITY_PROOFS,

  '1.24': async () => {
    const world = await adminWorld(2);
    const [a, b] = world.serials as [string, string];
    const ws = await registered(world);
    // Registration of an approved workstation without pairs: an empty list.
    expect((await pushed(ws, 'UpdateProximitySettings')).map((p) => p.args[0])).toContainEqual([]);
    await clearPushes(ws);
    await addPair(world, 'ws-1', a);
    const [afterAdd] = await pushed(ws, 'UpdateProximitySettings');
    expect(afterAdd?.args[0]).toEqual([
      like({ serialNo: a, lockProximity: 30, unlockProximity: 70 }),
    ]);
    await clearPushes(ws);
    await ws.register();
    const [onRegister] = await pushed(ws, 'UpdateProximitySettings');
    expect((onRegister?.args[0] as { serialNo: string }[]).map((s) => s.serialNo)).toEqual([a]);
    // An unapproved workstation's settings are empty, pairs or not.
    const other = await registered(world, 'ws-2', false);
    await clearPushes(other);
    await addPair(world, 'ws-2', b);
    expect((await pushed(other, 'UpdateProximitySettings')).map((p) => p.args[0])).toEqual([[]]);
  },

  '1.25': async () => {
    const world = await adminWorld(0);
    const department = await createDepartment(world.server);
    const ws = await registered(world, 'ws-1', false);
    expect((await pushed(ws, 'UpdateRFIDIndicatorState')).map((p) => p.args[0])).toEqual([false]);
    await clearPushes(ws);
    const approve = approveBody('ws-1', department, true);
    await rest(world.server, 'PUT', '/api/Workstations/ApproveWorkstation/ws-1', approve);
    expect((await pushed(ws, 'UpdateRFIDIndicatorState')).map((p) => p.args[0])).toEqual([true]);
    await clearPushes(ws);
    const edit = approveBody('ws-1', department, false);
    expect(
      (await rest(world.server, 'PUT', '/api/Workstations/EditWorkstation/ws-1', edit)).status,
    ).toBe(204);
    expect((await pushed(ws, 'UpdateRFIDIndicatorState')).map((p) => p.args[0])).toEqual([false]);
    await clearPushes(ws);
    await ws.register();
    expect((await pushed(ws, 'UpdateRFIDIndicatorState')).map((p) => p.args[0])).toEqual([false]);
  },

  '1.26': async () => {
    const world = await adminWorld(0);
    const department = await createDepartment(world.server);
    const ws = await registered(world, 'ws-1', false);
    await clearPushes(ws);
    const reply = await rest(
      world.server,
      'PUT',
      '/api/Workstations/ApproveWorkstation/ws-1',
      approveBody('ws-1', department),
    );
    expect(reply.status).toBe(204);
    expect(await pushed(ws, 'WorkstationApproved')).toEqual([]);
    expect(await pushed(ws, 'UpdateRFIDIndicatorState')).toHaveLength(1);
    // The UI path (the stand-in's extra route, as HES's ApproveWorkstation page) sends it.
    const other = await registered(world, 'ws-2', false);
    await rest(world.server, 'POST', '/api/standin/Workstations/ws-2/Approve', {});
    expect(await pushed(other, 'WorkstationApproved')).toHaveLength(1);
  },

  '1.27': async () => {
    const world = await adminWorld(0);
    const ws = await registered(world);
    await clearPushes(ws);
    const reply = await rest(world.server, 'PUT', '/api/Workstations/UnapproveWorkstation/ws-1');
    expect(reply.status).toBe(204);
    expect(await pushed(ws, 'WorkstationUnapproved')).toEqual([]);
    // UI unapprove and UI delete send it.
    const other = await registered(world, 'ws-2');
    await rest(world.server, 'POST', '/api/standin/Workstations/ws-2/Unapprove');
    expect(await pushed(other, 'WorkstationUnapproved')).toHaveLength(1);
    const third = await registered(world, 'ws-3');
    expect((await rest(world.server, 'DELETE', '/api/standin/Workstations/ws-3')).status).toBe(204);
    expect(await pushed(third, 'WorkstationUnapproved')).toHaveLength(1);
  },

  '1.28': async () => {
    const world = await adminWorld(0);
    const ws = await registered(world);
    await clearPushes(ws);
    await rest(world.server, 'POST', '/api/Workstations/LockAllWorkstations');
    await rest(world.server, 'POST', '/api/standin/Alarm/Off');
    await rest(world.server, 'POST', '/api/standin/Alarm/Off'); // already off: nothing
    expect((await pushed(ws, 'SetAlarmState')).map((p) => p.args[0])).toEqual([true, false]);
    await clearPushes(ws);
    await ws.register({ isAlarmTurnOn: true }); // the client still thinks it is on
    expect((await pushed(ws, 'SetAlarmState')).map((p) => p.args[0])).toEqual([false]);
  },

  '2.6': async () => {
    const world = await adminWorld(0);
    const ws = await TestWorkstation.connect(world.server, 'ws-1');
    await ws.invoke('RegisterWorkstationInfo', { id: 'ws-1', isAlarmTurnOn: false, users: [] });
    expect(await workstation(world, 'ws-1')).toMatchObject({
      name: null,
      domain: null,
      clientVersion: null,
      os: null,
      ip: null,
    });
  },

  '2.27': async () => {
    const world = await adminWorld(1);
    const serial = world.serials[0]!;
    const ws = await registered(world);
    await addPair(world, 'ws-1', serial);
    const mac = (await vault(world, serial))['mac'];
    const [push] = await pushed(ws, 'UpdateProximitySettings').then((p) => p.slice(-1));
    expect(push?.args[0]).toEqual([
      { serialNo: serial, mac, lockProximity: 30, unlockProximity: 70, lockTimeout: 5 },
    ]);
  },

  '6.13': async () => {
    const world = await adminWorld(0);
    const ws = await registered(world);
    // Connected with its header but never registered: not a push target in HES.
    const silent = await TestWorkstation.connect(world.server, 'ws-2');
    const before = Date.now();
    const reply = await rest(world.server, 'POST', '/api/Workstations/LockAllWorkstations');
    expect(reply).toEqual({ status: 200, body: undefined });
    expect((await pushed(ws, 'SetAlarmState')).map((p) => p.args[0])).toEqual([true]);
    expect(await pushed(silent, 'SetAlarmState')).toEqual([]);
    const state = (await rest(world.server, 'GET', '/api/standin/Alarm')).body as {
      isAlarm: boolean;
      adminName: string;
      date: string;
    };
    expect(state).toMatchObject({ isAlarm: true, adminName: 'admin@hideez.com' });
    expect(Date.parse(state.date)).toBeGreaterThanOrEqual(before - 1000);
    expect((await ws.invoke('GetHwVaultInfoBySerialNo', 'x')).code).toBe(HesErrorCode.HesAlarm);
  },

  '6.14': async () => {
    const world = await adminWorld(0);
    const ws = await registered(world);
    // HES has no REST route to turn the alarm off (UI only).
    const hesRoute = await rest(world.server, 'POST', '/api/Workstations/UnlockAllWorkstations');
    expect(hesRoute.status).toBe(404);
    await clearPushes(ws);
    await rest(world.server, 'POST', '/api/standin/Alarm/Off'); // never on: nothing
    expect(await pushed(ws, 'SetAlarmState')).toEqual([]);
    expect((await rest(world.server, 'GET', '/api/standin/Alarm')).body).toMatchObject({
      isAlarm: false,
      date: null,
    });
    await rest(world.server, 'POST', '/api/Workstations/LockAllWorkstations');
    await clearPushes(ws);
    expect((await rest(world.server, 'POST', '/api/standin/Alarm/Off')).status).toBe(204);
    expect((await pushed(ws, 'SetAlarmState')).map((p) => p.args[0])).toEqual([false]);
    expect((await rest(world.server, 'GET', '/api/standin/Alarm')).body).toMatchObject({
      isAlarm: false,
      adminName: 'admin@hideez.com',
    });
  },

  '6.15': async () => {
    const world = await adminWorld(0);
    const ws = await registered(world);
    await rest(world.server, 'POST', '/api/Workstations/LockAllWorkstations');
    expect((await ws.invoke('SaveClientEvents', [])).code).toBe(HesErrorCode.HesAlarm);
    // Registration still upserts under the alarm, then answers 618.
    const late = await TestWorkstation.connect(world.server, 'ws-late');
    expect((await late.register()).code).toBe(HesErrorCode.HesWorkstationNotApproved);
    world.server.standIn.approveWorkstation('ws-late');
    expect((await late.register()).code).toBe(HesErrorCode.HesAlarm);
    await rest(world.server, 'POST', '/api/standin/Alarm/Off');
    await clearPushes(ws);
    expect((await ws.register({ isAlarmTurnOn: true })).code).toBe(HesErrorCode.Ok);
    expect((await pushed(ws, 'SetAlarmState')).map((p) => p.args[0])).toEqual([false]);
  },

  '6.16': async () => {
    const world = await adminWorld(0);
    const department = await createDepartment(world.server);
    const ws = await registered(world, 'ws-1', false);
    const put = (path: string, body?: unknown) => rest(world.server, 'PUT', path, body);
    const path = '/api/Workstations/ApproveWorkstation/ws-1';
    expect(await put(path)).toMatchObject({ status: 400, body: problem(400) });
    const noDepartment = await put(path, { id: 'ws-1', rfidEnabled: true });
    expect(noDepartment.status).toBe(400);
    expect(noDepartment.body).toMatchObject({ errors: { DepartmentId: [anyString()] } });
    expect(await put(path, approveBody('ws-2', department))).toMatchObject({
      status: 400,
      body: problem(400),
    });
    expect(
      await put('/api/Workstations/ApproveWorkstation/nobody', approveBody('nobody', department)),
    ).toEqual({ status: 500, body: { error: NULL_REFERENCE } });
    expect(await put(path, approveBody('ws-1', 'no-such-department'))).toEqual({
      status: 500,
      body: { error: DB_UPDATE },
    });
    await clearPushes(ws);
    expect((await put(path, approveBody('ws-1', department))).status).toBe(204);
    expect(await workstation(world, 'ws-1')).toMatchObject({
      approved: true,
      rfid: true,
      departmentId: department,
      department: like({ id: department }),
    });
    await barrier(ws);
    expect(ws.pushes.map((p) => p.target)).toEqual(['UpdateRFIDIndicatorState']);
  },

  '6.17': async () => {
    const world = await adminWorld(0);
    const department = await createDepartment(world.server);
    const ws = await registered(world, 'ws-1', false);
    await rest(
      world.server,
      'PUT',
      '/api/Workstations/ApproveWorkstation/ws-1',
      approveBody('ws-1', department),
    );
    await clearPushes(ws);
    const reply = await rest(world.server, 'PUT', '/api/Workstations/UnapproveWorkstation/ws-1');
    expect(reply.status).toBe(204);
    expect(await workstation(world, 'ws-1')).toMatchObject({
      approved: false,
      rfid: false,
      departmentId: null,
    });
    await barrier(ws);
    expect(ws.pushes).toEqual([]);
    expect(
      await rest(world.server, 'PUT', '/api/Workstations/UnapproveWorkstation/nobody'),
    ).toEqual({ status: 500, body: { error: 'Workstation not found.' } });
  },

  '6.18': async () => {
    const world = await adminWorld(2);
    const [a, b] = world.serials as [string, string];
    const department = await createDepartment(world.server);
    const ws = await registered(world, 'ws-1', false);
    const edit = (body: unknown) =>
      rest(world.server, 'PUT', '/api/Workstations/EditWorkstation/ws-1', body);
    expect(await edit(approveBody('ws-1', department))).toEqual({
      status: 400,
      body: { error: 'Workstation not approved' },
    });
    world.server.standIn.approveWorkstation('ws-1');
    await clearPushes(ws);
    expect((await edit(approveBody('ws-1', department, true))).status).toBe(204);
    expect((await pushed(ws, 'UpdateRFIDIndicatorState')).map((p) => p.args[0])).toEqual([true]);

    // Pairs: HES's defaults; the reply is 201 with the pair (deliberate, see the note).
    const added = await rest(world.server, 'POST', '/api/Workstations/AddProximityVault', {
      workstationId: 'ws-1',
      hardwareVaultId: a,
    });
    expect(added).toMatchObject({
      status: 201,
      body: {
        hardwareVaultId: a,
        workstationId: 'ws-1',
        lockProximity: 30,
        unlockProximity: 70,
        lockTimeout: 5,
      },
    });
    const again = await rest(world.server, 'POST', '/api/Workstations/AddProximityVault', {
      workstationId: 'ws-1',
      hardwareVaultId: a,
    });
    expect(again).toEqual({
      status: 500,
      body: { error: 'Hardware Vault already added to workstation.' },
    });
    const pairB = await addPair(world, 'ws-1', b);
    const listed = await rest(world.server, 'GET', '/api/Workstations/GetProximityVaults/ws-1');
    // HES asks for an order its pair query does not know: compare as sets.
    const listedIds = (listed.body as { hardwareVaultId: string }[]).map((p) => p.hardwareVaultId);
    expect(listedIds.sort()).toEqual([a, b].sort());
    // Delete: the pair back, no push; an unknown pair is 404.
    await clearPushes(ws);
    const deleted = await rest(
      world.server,
      'POST',
      `/api/Workstations/DeleteProximityDevice/${pairB}`,
    );
    expect(deleted).toMatchObject({ status: 200, body: { id: pairB, hardwareVaultId: b } });
    expect(await pushed(ws, 'UpdateProximitySettings')).toEqual([]);
    expect(
      (await rest(world.server, 'POST', `/api/Workstations/DeleteProximityDevice/${pairB}`)).status,
    ).toBe(404);
    // Remove and Compromise drop a vault's pairs.
    await addPair(world, 'ws-1', b);
    await reserveFor(world.server, a, 'Ann');
    await rest(world.server, 'DELETE', '/api/Employees/RemoveHardwareVault', {
      hardwareVaultId: a,
      reason: VaultStatusReason.Withdrawal,
    });
    await reserveFor(world.server, b, 'Bob');
    await rest(world.server, 'POST', `/api/standin/HardwareVaults/${b}/Compromise`, {
      reason: 'lost',
    });
    expect(
      (await rest(world.server, 'GET', '/api/Workstations/GetProximityVaults/ws-1')).body,
    ).toEqual([]);
    // Delete (HES: UI only): the stand-in's extra route, with the UI's push.
    await clearPushes(ws);
    expect((await rest(world.server, 'DELETE', '/api/standin/Workstations/ws-1')).status).toBe(204);
    expect(await pushed(ws, 'WorkstationUnapproved')).toHaveLength(1);
    expect(
      (await rest(world.server, 'GET', '/api/Workstations/GetWorkstationById/ws-1')).status,
    ).toBe(404);
  },
};

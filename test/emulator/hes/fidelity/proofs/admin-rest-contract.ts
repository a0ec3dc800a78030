// Proofs of the admin REST contract rows (6.12, 6.21–6.26): HES's routes, bodies, entity
// field names and error replies, over real HTTP against a started stand-in.
import { expect } from 'vitest';
import { VaultStatus, VaultStatusReason } from '../../../../../shared/vault/vault-status';
import { adminCookie, rest } from '../../server/stand-in-hosts';
import {
  adminWorld,
  createEmployee,
  DOTNET_DATE,
  forceStatus,
  registered,
  reserveFor,
  anyString,
  like,
  matching,
} from './admin-world';
import type { ProofMap } from './proof';

const problem = (status: number) => like({ status, title: anyString(), type: anyString() });

const keysOf = (value: unknown): string[] => Object.keys(value as object).sort();

const PROFILE = {
  name: 'Strict',
  buttonBonding: true,
  buttonConnection: true,
  buttonNewChannel: false,
  pinBonding: true,
  pinConnection: true,
  pinNewChannel: false,
  masterKeyConnection: false,
  masterKeyNewChannel: false,
  pinExpiration: 3600,
  pinLength: 6,
  pinTryCount: 5,
};

export const CONTRACT_PROOFS: ProofMap = {
  '6.12': async () => {
    const world = await adminWorld(0);
    const ws = await registered(world);
    const event = (id: string, date: string, eventId: number) => ({
      version: '1',
      id,
      date,
      timeZone: 'UTC',
      eventId,
      severityId: 1,
      note: null,
      workstationId: 'ws-1',
      userSession: 'alice',
      workstationSessionId: eventId === 15 ? 'session-1' : null,
      deviceId: null,
      accountName: null,
      accountLogin: null,
    });
    await ws.invoke('SaveClientEvents', [
      event('e-1', '2024-01-01T10:00:00.000Z', 8),
      event('e-2', '2024-01-01T11:00:00.000Z', 15),
    ]);
    const events = await rest(world.server, 'GET', '/api/Audit/GetEvents');
    expect(events.status).toBe(200);
    const list = events.body as Record<string, unknown>[];
    expect(list.map((e) => e['id'])).toEqual(['e-2', 'e-1']); // newest first
    expect(list[0]).toMatchObject({
      date: '2024-01-01T11:00:00',
      eventId: 15,
      workstationId: 'ws-1',
      workstation: like({ id: 'ws-1' }),
    });
    const sessions = await rest(world.server, 'GET', '/api/Audit/GetSessions');
    expect(sessions.status).toBe(200);
    expect(sessions.body).toEqual([like({ id: 'session-1', startDate: matching(DOTNET_DATE) })]);
    // Not provided (deliberate): the filtered and summary routes.
    expect((await rest(world.server, 'POST', '/api/Audit/GetFilteredEvents', {})).status).toBe(404);
  },

  '6.21': async () => {
    const world = await adminWorld(2);
    const [a, b] = world.serials as [string, string];
    const add = (employeeId: string, hardwareVaultId: string) =>
      rest(world.server, 'POST', '/api/Employees/AddHardwareVault', {
        employeeId,
        hardwareVaultId,
      });
    expect(await add('nobody', a)).toEqual({ status: 500, body: { error: 'Employee not found.' } });
    const alice = await reserveFor(world.server, a);
    expect(await add(alice, b)).toEqual({
      status: 500,
      body: { error: 'Cannot add more than one Hardware Vault.' },
    });
    const bob = await createEmployee(world.server, 'Bob', 'Jones');
    expect(await add(bob, a)).toEqual({
      status: 500,
      body: { error: 'Vault in a status that does not allow to reserve.' },
    });
    expect(await add(bob, 'ST-NOPE')).toEqual({
      status: 500,
      body: { error: 'Hardware Vault not found.' },
    });
    const remove = await rest(world.server, 'DELETE', '/api/Employees/RemoveHardwareVault', {
      hardwareVaultId: b,
      reason: VaultStatusReason.Withdrawal,
    });
    expect(remove).toEqual({
      status: 500,
      body: { error: 'Vault in a status that does not allow to remove.' },
    });
    for (const path of [
      '/api/HardwareVaults/GetHardwareVaultById/ST-NOPE',
      '/api/Workstations/GetWorkstationById/nobody',
      '/api/Employees/GetEmployeeById/nobody',
    ]) {
      expect(await rest(world.server, 'GET', path)).toMatchObject({
        status: 404,
        body: problem(404),
      });
    }
  },

  '6.22': async () => {
    const world = await adminWorld(4);
    const remove = (hardwareVaultId: string, reason?: unknown) =>
      rest(world.server, 'DELETE', '/api/Employees/RemoveHardwareVault', {
        hardwareVaultId,
        ...(reason === undefined ? {} : { reason }),
      });
    const [a, b, c, d] = world.serials as [string, string, string, string];
    for (const [i, serial] of [a, b, c, d].entries()) {
      await reserveFor(world.server, serial, `E${i}`);
      forceStatus(world, serial, VaultStatus.Active);
    }
    expect((await remove(a, VaultStatusReason.Lost)).status).toBe(204);
    expect((await remove(b, 'stolen')).status).toBe(204); // a name, any case
    expect((await remove(c)).status).toBe(204); // missing: None, as .NET's default
    const status = async (serial: string) =>
      (await rest(world.server, 'GET', `/api/standin/HardwareVaults/${serial}/Status`)).body as {
        status: number;
        statusReason: number;
      };
    expect(await status(a)).toMatchObject({ status: VaultStatus.Deactivated, statusReason: 4 });
    expect(await status(b)).toMatchObject({ statusReason: VaultStatusReason.Stolen });
    expect(await status(c)).toMatchObject({ statusReason: VaultStatusReason.None });
    // Deliberate: a number HES would store though no reason has it is refused.
    expect(await remove(d, 99)).toMatchObject({ status: 400, body: problem(400) });
  },

  '6.23': async () => {
    const world = await adminWorld(0);
    const reply = await fetch(`${world.server.url}/api/Employees/CreateEmployee`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await adminCookie(world.server) },
      body: JSON.stringify({ firstName: 'Ann', lastName: 'Lee', email: 'ann@corp.example' }),
    });
    expect(reply.status).toBe(201);
    const body = (await reply.json()) as { id: string };
    expect(body).toMatchObject({
      firstName: 'Ann',
      lastName: 'Lee',
      email: 'ann@corp.example',
      fullName: 'Ann Lee',
      hardwareVaults: null,
      vaultsCount: 0,
    });
    expect(reply.headers.get('location')).toBe(`/api/Employees/GetEmployeeById/${body.id}`);
    const again = await rest(world.server, 'POST', '/api/Employees/CreateEmployee', {
      firstName: 'Ann',
      lastName: 'Lee',
    });
    expect(again).toEqual({
      status: 500,
      body: { error: 'Employee with current name already exists.' },
    });
    const noLast = await rest(world.server, 'POST', '/api/Employees/CreateEmployee', {
      firstName: 'Bo',
    });
    expect(noLast).toMatchObject({
      status: 400,
      body: { errors: { LastName: [anyString()] } },
    });
    expect(
      (await rest(world.server, 'POST', '/api/Employees', { firstName: 'X', lastName: 'Y' }))
        .status,
    ).toBe(404);
  },

  '6.24': async () => {
    const world = await adminWorld(1);
    const serial = world.serials[0]!;
    await reserveFor(world.server, serial);
    await registered(world);
    const vaults = (await rest(world.server, 'GET', '/api/HardwareVaults/GetHardwareVaults'))
      .body as Record<string, unknown>[];
    // HES's HardwareVault entity, less its masterPassword (left out on purpose).
    expect(keysOf(vaults[0])).toEqual(
      [
        'id',
        'mac',
        'model',
        'rfid',
        'battery',
        'firmware',
        'status',
        'statusReason',
        'statusDescription',
        'lastSynced',
        'needSync',
        'employeeId',
        'hardwareVaultProfileId',
        'importedAt',
        'timestamp',
        'hasNewLicense',
        'isStatusApplied',
        'hardwareVaultTasks',
        'licenseStatus',
        'licenseEndDate',
        'employee',
        'hardwareVaultProfile',
        'isOnline',
        'checked',
      ].sort(),
    );
    expect(vaults[0]).toMatchObject({
      status: VaultStatus.Reserved,
      importedAt: matching(DOTNET_DATE),
      employee: like({ fullName: 'Alice Smith' }),
      hardwareVaultProfile: like({ id: 'default' }),
    });
    expect(JSON.stringify(vaults)).not.toMatch(/masterPassword|secret/i);
    const workstations = (await rest(world.server, 'GET', '/api/Workstations/GetWorkstations'))
      .body as Record<string, unknown>[];
    expect(keysOf(workstations[0])).toEqual(
      [
        'id',
        'name',
        'domain',
        'clientVersion',
        'departmentId',
        'os',
        'ip',
        'lastSeen',
        'approved',
        'rfid',
        'workstationProximityVaults',
        'workstationEvents',
        'workstationSessions',
        'department',
        'isOnline',
      ].sort(),
    );
    const employees = (await rest(world.server, 'GET', '/api/Employees/GetEmployees'))
      .body as Record<string, unknown>[];
    expect(employees[0]).toMatchObject({
      fullName: 'Alice Smith',
      vaultsCount: 1,
      hardwareVaults: [like({ id: serial })],
    });
    expect(keysOf(employees[0])).toContain('phoneNumber');
  },

  '6.25': async () => {
    const world = await adminWorld(2);
    const [a, b] = world.serials as [string, string];
    // Profiles: create (201), list, edit, delete; "default" and a profile in use stay.
    const created = await rest(world.server, 'POST', '/api/HardwareVaults/CreateProfile', PROFILE);
    expect(created).toMatchObject({ status: 201, body: { name: 'Strict', pinLength: 6 } });
    const id = (created.body as { id: string }).id;
    expect(
      (await rest(world.server, 'POST', '/api/HardwareVaults/CreateProfile', PROFILE)).body,
    ).toEqual({ error: 'Profile name already in use' });
    const badRange = await rest(world.server, 'POST', '/api/HardwareVaults/CreateProfile', {
      ...PROFILE,
      name: 'Other',
      pinLength: 12,
    });
    expect(badRange).toMatchObject({
      status: 400,
      body: { errors: { PinLength: [anyString()] } },
    });
    const names = (
      (await rest(world.server, 'GET', '/api/HardwareVaults/GetProfiles')).body as {
        name: string;
      }[]
    ).map((p) => p.name);
    expect(names).toEqual(['Default', 'Strict']);
    expect(await rest(world.server, 'DELETE', '/api/HardwareVaults/DeleteProfile/default')).toEqual(
      { status: 500, body: { error: 'Cannot delete default profile' } },
    );

    // SetAccessProfile: Active vaults only; a Profile task (operation 7) follows.
    await reserveFor(world.server, a);
    const set = (hardwareVaultId: string, profileId: string) =>
      rest(world.server, 'POST', '/api/HardwareVaults/SetAccessProfile', {
        hardwareVaultId,
        profileId,
      });
    expect(await set(a, id)).toEqual({
      status: 500,
      body: { error: `Vault ${a} status (Reserved) is not allowed to execute this operation` },
    });
    forceStatus(world, a, VaultStatus.Active);
    expect(await set(a, 'no-such-profile')).toEqual({
      status: 500,
      body: { error: 'Hardware Vault profile not found' },
    });
    expect((await set(a, id)).status).toBe(204);
    const vault = (await rest(world.server, 'GET', `/api/HardwareVaults/GetHardwareVaultById/${a}`))
      .body as { hardwareVaultProfileId: string; hardwareVaultTasks: { operation: number }[] };
    expect(vault.hardwareVaultProfileId).toBe(id);
    expect(vault.hardwareVaultTasks.map((t) => t.operation)).toEqual([7]);
    expect(await rest(world.server, 'DELETE', `/api/HardwareVaults/DeleteProfile/${id}`)).toEqual({
      status: 500,
      body: { error: 'Cannot delete a profile if setted to a hardware vaults' },
    });
    // Editing the profile gives its Active vault a new Profile task (still one).
    expect(
      (
        await rest(world.server, 'PUT', `/api/HardwareVaults/EditProfile/${id}`, {
          ...PROFILE,
          id,
          pinLength: 8,
        })
      ).status,
    ).toBe(204);
    const edited = (await rest(world.server, 'GET', `/api/HardwareVaults/GetProfileById/${id}`))
      .body;
    expect(edited).toMatchObject({ pinLength: 8, createdAt: '0001-01-01T00:00:00' });

    // EditHardwareVaultRfid: the RFID only (deliberate), unique among vaults.
    const rfid = (body: unknown, path = b) =>
      rest(world.server, 'PUT', `/api/HardwareVaults/EditHardwareVaultRfid/${path}`, body);
    expect((await rfid({ id: b, rfid: 'RFID-NEW' })).status).toBe(204);
    expect(
      (await rest(world.server, 'GET', `/api/HardwareVaults/GetHardwareVaultById/${b}`)).body,
    ).toMatchObject({ rfid: 'RFID-NEW', status: VaultStatus.Ready });
    expect(await rfid({ id: a, rfid: 'X' })).toMatchObject({ status: 400, body: problem(400) });
    expect(await rfid({ id: a, rfid: 'RFID-NEW' }, a)).toEqual({
      status: 500,
      body: {
        error: 'An error occurred while updating the entries. See the inner exception for details.',
      },
    });
    // Not provided (deliberate): accounts, shared accounts, groups, templates, dashboard, swagger.
    expect((await rest(world.server, 'GET', '/api/SharedAccounts/GetSharedAccounts')).status).toBe(
      404,
    );
  },

  '6.26': async () => {
    const world = await adminWorld(1);
    const serial = world.serials[0]!;
    await reserveFor(world.server, serial);
    // Outside HES's namespace, typed errors of their own.
    const code = await rest(
      world.server,
      'GET',
      `/api/standin/HardwareVaults/${serial}/ActivationCode`,
    );
    expect(code).toMatchObject({
      status: 200,
      body: { activationCode: matching(/^\d{6}$/) },
    });
    expect(
      await rest(world.server, 'GET', '/api/standin/HardwareVaults/NOPE/Status'),
    ).toMatchObject({
      status: 404,
      body: { error: 'HardwareVaultNotFound', message: anyString() },
    });
    expect(
      (await rest(world.server, 'POST', `/api/standin/HardwareVaults/${serial}/Suspend`)).status,
    ).toBe(409);
    expect(
      (await rest(world.server, 'GET', `/api/HardwareVaults/${serial}/ActivationCode`)).status,
    ).toBe(404);
  },
};

// The admin REST API of the stand-in: HES's routes with HES's bodies and replies (ProblemDetails
// for a bad body or a missing entity, 500 `{error}` for a refused action), the /api/standin
// extras with typed errors, no secret in any listing, and nothing a request carries can take
// the server down. The row-by-row fidelity proofs are in ../fidelity/proofs/admin-rest*.ts.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultStatus, VaultStatusReason } from '../../../../shared/vault/vault-status';
import {
  adminWorld,
  anyString,
  createEmployee,
  like,
  registered,
  reserveFor,
} from '../fidelity/proofs/admin-world';
import { closeAll, rest, startServer, virtualKeys } from './stand-in-hosts';

afterEach(closeAll);

type Server = Awaited<ReturnType<typeof startServer>>;

const statusOf = async (server: Server, serial: string) =>
  (await rest(server, 'GET', `/api/standin/HardwareVaults/${serial}/Status`)).body as {
    status: number;
    statusReason: number;
    statusDescription: string | null;
    history: { from: number; to: number; reason: number; actor: string; time: string }[];
  };

describe('the stand-in admin REST API', () => {
  it('imports keys, adds an employee, reserves a key and shows its activation code; no secret is listed', async () => {
    const server = await startServer();
    const { records } = await virtualKeys(2);
    const imported = await rest(server, 'POST', '/api/standin/HardwareVaults/Import', records);
    expect(imported).toEqual({
      status: 200,
      body: { imported: records.map((r) => r.serialNo), skipped: [] },
    });
    // HES skips ids it already has.
    const again = await rest(server, 'POST', '/api/standin/HardwareVaults/Import', records);
    expect((again.body as { skipped: string[] }).skipped.length).toBe(2);

    const vaults = await rest(server, 'GET', '/api/HardwareVaults/GetHardwareVaults');
    expect((vaults.body as { status: number }[]).map((v) => v.status)).toEqual([
      VaultStatus.Ready,
      VaultStatus.Ready,
    ]);
    const serial = records[0]!.serialNo;
    const employeeId = await createEmployee(server);
    const reserve = await rest(server, 'POST', '/api/employees/addhardwarevault', {
      employeeId,
      hardwareVaultId: serial,
    });
    expect(reserve.status).toBe(204);
    const code = await rest(server, 'GET', `/api/standin/HardwareVaults/${serial}/ActivationCode`);
    expect((code.body as { activationCode: string }).activationCode).toMatch(/^\d{6}$/);
    const status = await statusOf(server, serial);
    expect(status.status).toBe(VaultStatus.Reserved);
    expect(status.history[0]).toMatchObject({ from: VaultStatus.Ready, to: VaultStatus.Reserved });
    const byId = await rest(server, 'GET', `/api/HardwareVaults/GetHardwareVaultById/${serial}`);
    expect(byId.body).toMatchObject({ id: serial, status: VaultStatus.Reserved, employeeId });

    // No master key, seal secret or activation code in any listing.
    const code6 = (code.body as { activationCode: string }).activationCode;
    for (const path of [
      '/api/HardwareVaults/GetHardwareVaults',
      `/api/HardwareVaults/GetHardwareVaultById/${serial}`,
      '/api/Employees/GetEmployees',
      '/api/standin/HardwareVaults',
    ]) {
      const text = JSON.stringify((await rest(server, 'GET', path)).body);
      expect(text).not.toContain(records[0]!.secret);
      expect(text).not.toContain(code6);
      expect(text).not.toMatch(/masterPassword/i);
    }
  });

  it('removes a never-linked vault back to Ready and compromises an assigned one for good', async () => {
    const world = await adminWorld(2);
    const { server } = world;
    const [a, b] = world.serials as [string, string];
    await reserveFor(server, a);
    const removed = await rest(server, 'DELETE', '/api/Employees/RemoveHardwareVault', {
      hardwareVaultId: a,
      reason: VaultStatusReason.Withdrawal,
      isNeedBackup: false,
    });
    expect(removed.status).toBe(204);
    expect((await statusOf(server, a)).status).toBe(VaultStatus.Ready);

    await reserveFor(server, b, 'Bob');
    const compromised = await rest(server, 'POST', `/api/standin/HardwareVaults/${b}/Compromise`, {
      reason: 'stolen',
      description: 'left on a train',
    });
    expect(compromised.status).toBe(204);
    const status = await statusOf(server, b);
    expect(status).toMatchObject({
      status: VaultStatus.Compromised,
      statusReason: VaultStatusReason.Stolen,
      statusDescription: 'left on a train',
    });
    expect(status.history.map((h) => h.to)).toEqual([
      VaultStatus.Reserved,
      VaultStatus.Compromised,
    ]);
  });

  it('approves through the UI path, lists workstations and deletes one with its events', async () => {
    const world = await adminWorld(0);
    const ws = await registered(world, 'ws-9', false);
    const approved = await rest(world.server, 'POST', '/api/standin/Workstations/ws-9/Approve', {
      rfidEnabled: true,
    });
    expect(approved).toMatchObject({
      status: 200,
      body: { id: 'ws-9', approved: true, rfid: true },
    });
    await ws.nextPush((p) => p.target === 'WorkstationApproved');
    expect(
      (await rest(world.server, 'GET', '/api/Workstations/GetWorkstationById/ws-9')).body,
    ).toMatchObject({ id: 'ws-9', approved: true, isOnline: true, name: 'PC-TEST' });
    expect((await rest(world.server, 'GET', '/api/standin/Workstations')).body).toEqual([
      like({ id: 'ws-9', approved: true, isOnline: true }),
    ]);
    const unknown = await rest(world.server, 'POST', '/api/standin/Workstations/nobody/Approve');
    expect(unknown).toMatchObject({ status: 404, body: { error: 'WorkstationNotFound' } });
    expect((await rest(world.server, 'DELETE', '/api/standin/Workstations/ws-9')).status).toBe(204);
    expect((await rest(world.server, 'GET', '/api/Workstations/GetWorkstations')).body).toEqual([]);
  });

  it('answers a bad body on a HES route with ProblemDetails, and on an extra with a typed error', async () => {
    const server = await startServer({ maxBodyBytes: 1024 });
    const hes: [string, string, string | undefined, string][] = [
      ['POST', '/api/Employees/CreateEmployee', '{not json', ''],
      ['POST', '/api/Employees/CreateEmployee', undefined, ''],
      ['POST', '/api/Employees/CreateEmployee', '[]', ''],
      ['POST', '/api/Employees/CreateEmployee', '{"firstName": {}, "lastName": "x"}', 'firstName'],
      ['POST', '/api/Employees/CreateEmployee', '{"firstName": " ", "lastName": "x"}', 'FirstName'],
      ['POST', '/api/Employees/AddHardwareVault', '{}', 'EmployeeId'],
      ['DELETE', '/api/Employees/RemoveHardwareVault', '{"reason":3}', 'HardwareVaultId'],
      ['POST', '/api/Workstations/AddProximityVault', '{"workstationId":"w"}', 'HardwareVaultId'],
      ['POST', '/api/HardwareVaults/CreateProfile', '{"name":"p"}', 'PinExpiration'],
    ];
    for (const [method, path, raw, field] of hes) {
      const reply = await rest(server, method, path, undefined, raw);
      expect(reply.status, `${method} ${path} ${raw ?? ''}`).toBe(400);
      expect(reply.body).toMatchObject({
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { [field]: [anyString()] },
      });
    }
    const typed: [string, string, string | undefined, number, string][] = [
      [
        'POST',
        '/api/standin/HardwareVaults/x/Compromise',
        '{"reason":"withdrawal"}',
        400,
        'InvalidRequest',
      ],
      ['POST', '/api/standin/HardwareVaults/Import', '{}', 400, 'InvalidRequest'],
      ['POST', '/api/standin/HardwareVaults/Import', '[{"serialNo":"x"}]', 400, 'InvalidRequest'],
      ['POST', '/api/standin/HardwareVaults/Import', `"${'x'.repeat(2000)}"`, 413, 'BodyTooLarge'],
      ['GET', '/api/nothing/here', undefined, 404, 'NotFound'],
      ['GET', '/api/standin/HardwareVaults/%E0%A4%A/Status', undefined, 404, 'NotFound'],
      ['DELETE', '/api/Employees/CreateEmployee', undefined, 405, 'MethodNotAllowed'],
    ];
    for (const [method, path, raw, status, error] of typed) {
      const reply = await rest(server, method, path, undefined, raw);
      expect(reply.status, `${method} ${path} ${raw ?? ''}`).toBe(status);
      expect(reply.body).toMatchObject({ error, message: anyString() });
    }
    // A bad import record secret is the domain's InvalidArgument: 400 as well.
    const badSecret = await rest(server, 'POST', '/api/standin/HardwareVaults/Import', [
      {
        serialNo: 'ST1',
        mac: 'AA',
        model: 'm',
        firmwareVersion: '1',
        bootloaderVersion: '1',
        secret: 'AAAA',
      },
    ]);
    expect(badSecret).toMatchObject({ status: 400, body: { error: 'InvalidRequest' } });
  });

  it('reads HES bodies as Newtonsoft does: any case, numbers and booleans as text, enum names', async () => {
    const world = await adminWorld(1);
    const serial = world.serials[0]!;
    const created = await rest(world.server, 'POST', '/api/Employees/CreateEmployee', {
      FIRSTNAME: 'Ann',
      lastname: 7,
    });
    expect(created).toMatchObject({ status: 201, body: { firstName: 'Ann', lastName: '7' } });
    const id = (created.body as { id: string }).id;
    await rest(world.server, 'POST', '/api/Employees/AddHardwareVault', {
      employeeId: id,
      hardwareVaultId: serial,
    });
    const removed = await rest(world.server, 'DELETE', '/api/Employees/RemoveHardwareVault', {
      HardwareVaultId: serial,
      Reason: 'Broken',
      IsNeedBackup: 'false',
    });
    expect(removed.status).toBe(204);
    expect((await statusOf(world.server, serial)).status).toBe(VaultStatus.Ready);
  });

  it('never drops the connection or fails inside, whatever JSON a body holds', async () => {
    const world = await adminWorld(1);
    const serial = world.serials[0]!;
    await reserveFor(world.server, serial);
    const paths = [
      ['POST', '/api/Employees/CreateEmployee'],
      ['POST', '/api/Employees/AddHardwareVault'],
      ['DELETE', '/api/Employees/RemoveHardwareVault'],
      ['PUT', '/api/Workstations/ApproveWorkstation/ws'],
      ['PUT', '/api/Workstations/EditWorkstation/ws'],
      ['POST', '/api/Workstations/AddProximityVault'],
      ['POST', '/api/HardwareVaults/SetAccessProfile'],
      ['POST', '/api/HardwareVaults/CreateProfile'],
      ['PUT', `/api/HardwareVaults/EditHardwareVaultRfid/${serial}`],
      ['POST', '/api/OrgStructure/CreateDepartment'],
      ['POST', '/api/standin/HardwareVaults/Import'],
      ['POST', `/api/standin/HardwareVaults/${serial}/Suspend`],
      ['POST', `/api/standin/HardwareVaults/${serial}/Compromise`],
      ['POST', `/api/standin/HardwareVaults/${serial}/Licenses`],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue(), async ([method, path], body) => {
        const reply = await rest(world.server, method, path, undefined, JSON.stringify(body));
        // 500 only as HES answers a refused action: `{error: <HES's text>}`, never InternalError.
        if (reply.status >= 500) {
          expect(path.startsWith('/api/standin')).toBe(false);
          expect(reply.body).toEqual({ error: anyString() });
        }
        if (reply.status >= 400 && reply.status < 500) expect(reply.body).toBeTypeOf('object');
      }),
      { numRuns: 80 },
    );
  });
});

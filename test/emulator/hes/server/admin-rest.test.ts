// The admin REST API of the stand-in: HES's endpoints and the /api/standin extras, JSON in and
// out, typed errors for bad input, nothing a request carries can take the server down.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultStatus, VaultStatusReason } from '../../../../shared/vault/vault-status';
import { closeAll, rest, startServer, TestWorkstation, virtualKeys } from './stand-in-hosts';

afterEach(closeAll);

type Server = Awaited<ReturnType<typeof startServer>>;

async function employee(server: Server, firstName = 'Alice', lastName = 'Smith'): Promise<string> {
  const created = await rest(server, 'POST', '/api/Employees', { firstName, lastName });
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

const statusOf = async (server: Server, serial: string) =>
  (await rest(server, 'GET', `/api/standin/HardwareVaults/${serial}/Status`)).body as {
    status: number;
    statusReason: number;
    statusDescription: string | null;
    history: { from: number; to: number; reason: number; actor: string; time: string }[];
  };

describe('the stand-in admin REST API', () => {
  it('imports keys, adds an employee, reserves a key and shows its activation code', async () => {
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
    expect((vaults.body as { id: string; status: number }[]).map((v) => v.status)).toEqual([
      VaultStatus.Ready,
      VaultStatus.Ready,
    ]);
    // No secrets in listings.
    expect(JSON.stringify(vaults.body)).not.toContain(records[0]!.secret);

    const serial = records[0]!.serialNo;
    const employeeId = await employee(server);
    expect(
      (
        await rest(server, 'POST', '/api/employees/addhardwarevault', {
          employeeId,
          hardwareVaultId: serial,
        })
      ).status,
    ).toBe(204);
    const code = await rest(server, 'GET', `/api/standin/HardwareVaults/${serial}/ActivationCode`);
    expect(code.status).toBe(200);
    expect((code.body as { activationCode: string }).activationCode).toMatch(/^\d{6}$/);
    const status = await statusOf(server, serial);
    expect(status.status).toBe(VaultStatus.Reserved);
    expect(status.history[0]).toMatchObject({ from: VaultStatus.Ready, to: VaultStatus.Reserved });

    const byId = await rest(server, 'GET', `/api/HardwareVaults/GetHardwareVaultById/${serial}`);
    expect(byId.body).toMatchObject({ id: serial, status: VaultStatus.Reserved, employeeId });
  });

  it('refuses what HES refuses with its error code: a second vault, a wrong status, a missing vault', async () => {
    const server = await startServer();
    const { records } = await virtualKeys(2);
    await rest(server, 'POST', '/api/standin/HardwareVaults/Import', records);
    const [a, b] = records.map((r) => r.serialNo) as [string, string];
    const alice = await employee(server);
    await rest(server, 'POST', '/api/Employees/AddHardwareVault', {
      employeeId: alice,
      hardwareVaultId: a,
    });

    const second = await rest(server, 'POST', '/api/Employees/AddHardwareVault', {
      employeeId: alice,
      hardwareVaultId: b,
    });
    expect(second).toMatchObject({ status: 409, body: { error: 'OneHardwareVaultConstraint' } });
    const bob = await employee(server, 'Bob', 'Jones');
    const taken = await rest(server, 'POST', '/api/Employees/AddHardwareVault', {
      employeeId: bob,
      hardwareVaultId: a,
    });
    expect(taken).toMatchObject({ status: 409, body: { error: 'HardwareVaultCannotReserve' } });
    const suspend = await rest(server, 'POST', `/api/standin/HardwareVaults/${a}/Suspend`, {});
    expect(suspend.status).toBe(409);
    const missing = await rest(server, 'GET', '/api/standin/HardwareVaults/NOPE/Status');
    expect(missing).toMatchObject({ status: 404, body: { error: 'HardwareVaultNotFound' } });
    const noCode = await rest(server, 'GET', `/api/standin/HardwareVaults/${b}/ActivationCode`);
    expect(noCode.status).toBe(409);
  });

  it('removes a never-linked vault back to Ready and compromises an assigned one for good', async () => {
    const server = await startServer();
    const { records } = await virtualKeys(2);
    await rest(server, 'POST', '/api/standin/HardwareVaults/Import', records);
    const [a, b] = records.map((r) => r.serialNo) as [string, string];
    await rest(server, 'POST', '/api/Employees/AddHardwareVault', {
      employeeId: await employee(server),
      hardwareVaultId: a,
    });
    const removed = await rest(server, 'DELETE', '/api/Employees/RemoveHardwareVault', {
      hardwareVaultId: a,
      reason: VaultStatusReason.Withdrawal,
      isNeedBackup: false,
    });
    expect(removed.status).toBe(204);
    expect((await statusOf(server, a)).status).toBe(VaultStatus.Ready);

    await rest(server, 'POST', '/api/Employees/AddHardwareVault', {
      employeeId: await employee(server, 'Bob', 'Jones'),
      hardwareVaultId: b,
    });
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

  it('approves and unapproves a registered workstation, pushing the change to it', async () => {
    const server = await startServer();
    const ws = await TestWorkstation.connect(server, 'ws-9');
    await ws.register();
    expect(
      (
        await rest(server, 'PUT', '/api/Workstations/ApproveWorkstation/ws-9', {
          rfidEnabled: true,
        })
      ).status,
    ).toBe(204);
    await ws.nextPush((p) => p.target === 'WorkstationApproved');
    expect(
      (await rest(server, 'GET', '/api/Workstations/GetWorkstationById/ws-9')).body,
    ).toMatchObject({
      id: 'ws-9',
      approved: true,
      isOnline: true,
    });
    expect((await rest(server, 'PUT', '/api/Workstations/UnapproveWorkstation/ws-9')).status).toBe(
      204,
    );
    await ws.nextPush((p) => p.target === 'WorkstationUnapproved');
    const unknown = await rest(server, 'PUT', '/api/Workstations/ApproveWorkstation/nobody');
    expect(unknown).toMatchObject({ status: 404, body: { error: 'WorkstationNotFound' } });
  });

  it('answers bad requests with a typed JSON error', async () => {
    const server = await startServer({ maxBodyBytes: 1024 });
    const cases: [string, string, string | undefined, number, string][] = [
      ['POST', '/api/Employees', '{not json', 400, 'InvalidRequest'],
      ['POST', '/api/Employees', '[]', 400, 'InvalidRequest'],
      ['POST', '/api/Employees', '{"firstName": 1, "lastName": "x"}', 400, 'InvalidRequest'],
      ['POST', '/api/Employees/AddHardwareVault', '{}', 400, 'InvalidRequest'],
      [
        'DELETE',
        '/api/Employees/RemoveHardwareVault',
        '{"hardwareVaultId":"x","reason":4}',
        400,
        'InvalidRequest',
      ],
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
      ['DELETE', '/api/Employees', undefined, 405, 'MethodNotAllowed'],
    ];
    for (const [method, path, raw, status, error] of cases) {
      const reply = await rest(server, method, path, undefined, raw);
      expect(reply.status, `${method} ${path} ${raw ?? ''}`).toBe(status);
      expect(reply.body).toMatchObject({ error });
      expect(typeof (reply.body as { message: unknown }).message).toBe('string');
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

  it('never answers 500 or drops the connection, whatever JSON a body holds', async () => {
    const server = await startServer();
    const paths = [
      ['POST', '/api/Employees'],
      ['POST', '/api/Employees/AddHardwareVault'],
      ['DELETE', '/api/Employees/RemoveHardwareVault'],
      ['PUT', '/api/Workstations/ApproveWorkstation/ws'],
      ['POST', '/api/standin/HardwareVaults/Import'],
      ['POST', '/api/standin/HardwareVaults/ST1/Suspend'],
      ['POST', '/api/standin/HardwareVaults/ST1/Compromise'],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue(), async ([method, path], body) => {
        const reply = await rest(server, method, path, undefined, JSON.stringify(body));
        expect(reply.status).toBeLessThan(500);
        if (reply.status >= 400) expect(reply.body).toHaveProperty('error');
      }),
      { numRuns: 60 },
    );
  });
});

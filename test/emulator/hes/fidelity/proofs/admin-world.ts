// What the admin REST proofs and tests share: a started stand-in over a known SQLite file,
// imported virtual keys, employees and departments through HES's own routes, registered
// workstations on the real @microsoft/signalr client, and a barrier after which every push
// the server sent before it has arrived.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import type { HesStandInServer } from '../../../../../emulator/hes/server';
import type { VaultStatus } from '../../../../../shared/vault/vault-status';
import {
  rest,
  startServer,
  tempDir,
  TestWorkstation,
  virtualKeys,
  type Push,
  type TestKey,
} from '../../server/stand-in-hosts';

export interface AdminWorld {
  readonly server: HesStandInServer;
  readonly dbFile: string;
  readonly keys: TestKey[];
  readonly serials: string[];
}

/** A stand-in with `keys` imported virtual keys (Ready). */
export async function adminWorld(
  keys = 1,
  options: { now?: () => Date; dbFile?: string } = {},
): Promise<AdminWorld> {
  const dbFile = options.dbFile ?? join(await tempDir(), 'hes.sqlite');
  const server = await startServer({ dbFile, ...(options.now ? { now: options.now } : {}) });
  if (keys === 0) return { server, dbFile, keys: [], serials: [] };
  const made = await virtualKeys(keys);
  const imported = await rest(server, 'POST', '/api/standin/HardwareVaults/Import', made.records);
  expect(imported.status).toBe(200);
  return { server, dbFile, keys: made.keys, serials: made.records.map((r) => r.serialNo) };
}

/** POST /api/Employees/CreateEmployee; the new id. */
export async function createEmployee(
  server: { url: string },
  firstName = 'Alice',
  lastName = 'Smith',
): Promise<string> {
  const created = await rest(server, 'POST', '/api/Employees/CreateEmployee', {
    firstName,
    lastName,
    email: `${firstName.toLowerCase()}@corp.example`,
  });
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

/** A vault reserved for a new employee; the employee's id. */
export async function reserveFor(
  server: { url: string },
  serial: string,
  firstName = 'Alice',
): Promise<string> {
  const employeeId = await createEmployee(server, firstName, 'Smith');
  const reserved = await rest(server, 'POST', '/api/Employees/AddHardwareVault', {
    employeeId,
    hardwareVaultId: serial,
  });
  expect(reserved.status).toBe(204);
  return employeeId;
}

/** A company with one department (HES's OrgStructure routes); the department's id. */
export async function createDepartment(server: { url: string }, name = 'IT'): Promise<string> {
  const company = await rest(server, 'POST', '/api/OrgStructure/CreateCompany', {
    name: `${name} Corp`,
  });
  expect(company.status).toBe(201);
  const department = await rest(server, 'POST', '/api/OrgStructure/CreateDepartment', {
    companyId: (company.body as { id: string }).id,
    name,
  });
  expect(department.status).toBe(201);
  return (department.body as { id: string }).id;
}

/** A workstation that has registered; `approved`: approved first through the UI path. */
export async function registered(
  world: AdminWorld,
  id = 'ws-1',
  approved = true,
): Promise<TestWorkstation> {
  const ws = await TestWorkstation.connect(world.server, id);
  await ws.register();
  if (approved) {
    world.server.standIn.approveWorkstation(id);
    expect((await ws.register()).code).toBe(0);
  }
  return ws;
}

/** After this, every push the server sent `ws` before the call has arrived (one connection, in order). */
export async function barrier(ws: TestWorkstation): Promise<void> {
  await ws.invoke('GetHwVaultInfoBySerialNo', 'barrier');
}

/** The pushes of one target received so far (after a barrier). */
export async function pushed(ws: TestWorkstation, target: string): Promise<Push[]> {
  await barrier(ws);
  return ws.pushes.filter((p) => p.target === target);
}

/** Forgets the pushes received so far. */
export async function clearPushes(ws: TestWorkstation): Promise<void> {
  await barrier(ws);
  ws.pushes.length = 0;
}

/** Test set-up only: a vault put straight into a status through a second connection. */
export function forceStatus(world: AdminWorld, serial: string, status: VaultStatus): void {
  const db = new DatabaseSync(world.dbFile);
  try {
    db.prepare('UPDATE HardwareVaults SET Status = ?, IsStatusApplied = 1 WHERE Id = ?').run(
      status,
      serial,
    );
  } finally {
    db.close();
  }
}

/** A .NET DateTime as HES writes one read from MySQL: no offset, no zero fraction. */
export const DOTNET_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,6}[1-9])?$/;

// vitest's asymmetric matchers, typed `unknown` (they are `any`, which the lint refuses).
export const anyString = (): unknown => expect.any(String) as unknown;
export const like = (fields: Record<string, unknown>): unknown =>
  expect.objectContaining(fields) as unknown;
export const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern) as unknown;

// Proofs of the status-rule rows about the administrator's vault actions (table 4: reserve
// preconditions, remove, compromise, show code, import, activation codes), through HES's REST
// routes and the stand-in's own, merged into status-rules.ts.
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import { newActivationCode } from '../../../../../emulator/hes/domain/activation-code';
import { HesStore } from '../../../../../emulator/hes/store/hes-store';
import { ActivationStatus, TaskOperation } from '../../../../../emulator/hes/store/records';
import { VaultStatus, VaultStatusReason } from '../../../../../shared/vault/vault-status';
import { closeWith, rest, virtualKeys } from '../../server/stand-in-hosts';
import {
  adminWorld,
  createEmployee,
  forceStatus,
  registered,
  reserveFor,
  type AdminWorld,
} from './admin-world';
import type { ProofMap } from './proof';

const { Ready, Reserved, Active, Locked, Deactivated, Compromised } = VaultStatus;
const VAULT = '/api/standin/HardwareVaults';

/** The test's own connection to the stand-in's database. */
function storeOf(world: AdminWorld): HesStore {
  const db = HesStore.open(world.dbFile);
  closeWith(() => db.close());
  return db;
}

/** One number from the database through a second connection. */
function count(world: AdminWorld, sql: string, ...args: string[]): number {
  const db = new DatabaseSync(world.dbFile);
  try {
    return Number((db.prepare(sql).get(...args) as { n: number }).n);
  } finally {
    db.close();
  }
}

/** One write through a second connection. */
function run(world: AdminWorld, sql: string, ...args: string[]): void {
  const db = new DatabaseSync(world.dbFile);
  try {
    db.prepare(sql).run(...args);
  } finally {
    db.close();
  }
}

const addVault = (world: AdminWorld, employeeId: string, hardwareVaultId: string) =>
  rest(world.server, 'POST', '/api/Employees/AddHardwareVault', { employeeId, hardwareVaultId });
const error = (text: string) => ({ status: 500, body: { error: text } });

/**
 * A vault reserved for a new employee who has an account (made primary), a task, a proximity
 * pair on `ws-1` and the pending code; `status` forced afterwards (as if synced).
 */
async function furnished(world: AdminWorld, serial: string, status: VaultStatus) {
  const db = storeOf(world);
  const employeeId = await reserveFor(world.server, serial, `E${serial.slice(-4)}`);
  const account = db.accounts.insert({ employeeId, name: 'Windows', login: 'CORP\\e' });
  run(world, 'UPDATE Employees SET PrimaryAccountId = ? WHERE Id = ?', account.id, employeeId);
  db.transaction(() => {
    db.tasks.insert({
      vaultId: serial,
      accountId: account.id,
      operation: TaskOperation.Update,
      createdAt: new Date().toISOString(),
      timestamp: 1,
    });
    db.proximity.insert({
      vaultId: serial,
      workstationId: 'ws-1',
      lockProximity: 30,
      unlockProximity: 70,
      lockTimeout: 5,
    });
  });
  if (status !== Reserved) forceStatus(world, serial, status);
  return { db, employeeId, accountId: account.id };
}

const pairs = (world: AdminWorld, serial: string): number =>
  count(
    world,
    'SELECT COUNT(*) AS n FROM WorkstationHardwareVaultPairs WHERE HardwareVaultId = ?',
    serial,
  );

export const PROOFS: ProofMap = {
  '4.1': async () => {
    const world = await adminWorld(2);
    const [a = '', b = ''] = world.serials;
    expect(await addVault(world, 'nobody', a)).toEqual(error('Employee not found.'));
    const alice = await reserveFor(world.server, a);
    // The one-vault rule comes before the vault is looked up.
    expect(await addVault(world, alice, 'ST-none')).toEqual(
      error('Cannot add more than one Hardware Vault.'),
    );
    const bob = await createEmployee(world.server, 'Bob');
    expect(await addVault(world, bob, 'ST-none')).toEqual(error('Hardware Vault not found.'));
    const cannot = error('Vault in a status that does not allow to reserve.');
    expect(await addVault(world, bob, a)).toEqual(cannot);
    for (const status of [Deactivated, Compromised, Active]) {
      forceStatus(world, b, status);
      expect(await addVault(world, bob, b)).toEqual(cannot);
    }
    forceStatus(world, b, Ready);
    expect((await addVault(world, bob, b)).status).toBe(204);
  },
  '4.4': async () => {
    const world = await adminWorld(3);
    await registered(world);
    const [ready = '', fresh = '', used = ''] = world.serials;
    const remove = (hardwareVaultId: string) =>
      rest(world.server, 'DELETE', '/api/Employees/RemoveHardwareVault', {
        hardwareVaultId,
        reason: VaultStatusReason.Lost,
      });
    expect(await remove(ready)).toEqual(error('Vault in a status that does not allow to remove.'));
    // Reserved and never applied: the full reset to Ready.
    const first = await furnished(world, fresh, Reserved);
    expect((await remove(fresh)).status).toBe(204);
    expect(first.db.vaults.get(fresh)).toMatchObject({
      status: Ready,
      statusReason: VaultStatusReason.None,
      employeeId: null,
      masterPassword: null,
    });
    expect(first.db.tasks.forVault(fresh)).toEqual([]);
    expect(pairs(world, fresh)).toBe(0);
    // Applied (here Locked): Deactivated with the reason; the only vault's accounts go.
    const second = await furnished(world, used, Locked);
    expect((await remove(used)).status).toBe(204);
    expect(second.db.vaults.get(used)).toMatchObject({
      status: Deactivated,
      statusReason: VaultStatusReason.Lost,
      employeeId: null,
    });
    expect(second.db.employees.get(second.employeeId)?.primaryAccountId).toBeNull();
    expect(second.db.accounts.forEmployee(second.employeeId)).toEqual([]);
    expect(second.db.tasks.forVault(used)).toEqual([]);
    expect(pairs(world, used)).toBe(0);
    // The pending activation is not canceled.
    expect(second.db.activations.pending(used)).toBeDefined();
  },
  '4.8': async () => {
    const world = await adminWorld(2);
    await registered(world);
    const [ready = '', serial = ''] = world.serials;
    const { db, employeeId, accountId } = await furnished(world, serial, Active);
    const compromise = (id: string) =>
      rest(world.server, 'POST', `${VAULT}/${id}/Compromise`, {
        reason: 'stolen',
        description: 'bag',
      });
    expect((await compromise(serial)).status).toBe(204);
    expect(db.vaults.get(serial)).toMatchObject({
      status: Compromised,
      statusReason: VaultStatusReason.Stolen,
      statusDescription: 'bag',
      employeeId: null,
      masterPassword: null,
      needSync: false,
    });
    expect(db.activations.pending(serial)).toBeUndefined();
    expect(db.activations.list(serial).map((a) => a.status)).toEqual([ActivationStatus.Canceled]);
    expect(db.tasks.forVault(serial)).toEqual([]);
    expect(db.accounts.forEmployee(employeeId)).toEqual([]);
    // HES keeps PrimaryAccountId here (unlike remove).
    expect(db.employees.get(employeeId)?.primaryAccountId).toBe(accountId);
    expect(pairs(world, serial)).toBe(0);
    // No employee (HES: a NullReferenceException): the stand-in's typed refusal, nothing written.
    expect(await compromise(ready)).toMatchObject({
      status: 409,
      body: { error: 'VaultHasNoEmployee' },
    });
    expect(db.vaults.get(ready)?.status).toBe(Ready);
  },
  '4.9': async () => {
    const world = await adminWorld(2);
    const [serial = '', ready = ''] = world.serials;
    const show = (id: string) => rest(world.server, 'GET', `${VAULT}/${id}/ActivationCode`);
    const db = storeOf(world);
    await reserveFor(world.server, serial);
    const code = db.activations.pending(serial)?.code;
    expect(await show(serial)).toEqual({ status: 200, body: { activationCode: code } });
    // Any status with a pending row, not only the two HES's UI offers it for.
    for (const status of [Locked, Deactivated, Active]) {
      forceStatus(world, serial, status);
      expect(await show(serial)).toEqual({ status: 200, body: { activationCode: code } });
    }
    db.activations.setPending(serial, ActivationStatus.Activated);
    for (const id of [serial, ready]) {
      expect(await show(id)).toMatchObject({
        status: 409,
        body: { error: 'ActivationCodeNotFound' },
      });
    }
  },
  '4.13': async () => {
    const world = await adminWorld(0);
    const { records } = await virtualKeys(2);
    const [first, second] = records;
    if (!first || !second) throw new Error('no records');
    const post = (body: unknown) => rest(world.server, 'POST', `${VAULT}/Import`, body);
    expect(await post([first])).toEqual({
      status: 200,
      body: { imported: [first.serialNo], skipped: [] },
    });
    // Existing ids are skipped, as HES's import skips them.
    expect(await post([first, second])).toEqual({
      status: 200,
      body: { imported: [second.serialNo], skipped: [first.serialNo] },
    });
    const vault = storeOf(world).vaults.get(first.serialNo);
    expect(vault).toMatchObject({
      status: Ready,
      statusReason: VaultStatusReason.None,
      battery: 100,
      profileId: 'default',
      mac: first.mac,
      model: first.model,
      firmware: first.firmwareVersion,
      employeeId: null,
      masterPassword: null,
    });
    // HES has no import route: its import reads the licensing server.
    expect((await rest(world.server, 'POST', '/api/HardwareVaults/ImportVaults', [])).status).toBe(
      404,
    );
  },
  '4.29': async () => {
    const codes = Array.from({ length: 5_000 }, newActivationCode);
    for (const code of codes) {
      expect(code).toMatch(/^[1-9]\d{5}$/);
    }
    expect(new Set(codes).size).toBeGreaterThan(4_900);
    const world = await adminWorld(1);
    const [serial = ''] = world.serials;
    const db = storeOf(world);
    const employee = world.server.standIn.addEmployee({ firstName: 'Ann', lastName: 'Lee' });
    const first = world.server.standIn.reserve(serial, employee.id).activationCode;
    forceStatus(world, serial, Active);
    const second = world.server.standIn.suspend(serial).activationCode;
    // The earlier code, still pending, is canceled by the new one.
    expect(db.activations.list(serial).map((a) => [a.code, a.status])).toEqual([
      [first, ActivationStatus.Canceled],
      [second, ActivationStatus.Pending],
    ]);
  },
};

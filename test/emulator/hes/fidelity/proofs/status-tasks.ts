// Proofs of the status-rule rows about vault tasks (table 4: the Create tasks of a reserve,
// SetAccessProfile and profile edits with the accounts update after them, task execution),
// merged into status-rules.ts.
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import { HesStore } from '../../../../../emulator/hes/store/hes-store';
import { TaskOperation } from '../../../../../emulator/hes/store/records';
import { HwVaultConnectionState, type HwVaultInfoFromHesDto } from '../../../../../shared/hes/dto';
import { VaultStatus, VaultStatusReason } from '../../../../../shared/vault/vault-status';
import { closeWith, rest, virtualKeys } from '../../server/stand-in-hosts';
import { adminWorld, createEmployee } from './admin-world';
import type { ProofMap } from './proof';
import { activeVault, remoteRig, type RemoteRig } from './remote-rig';

const PROFILE = {
  name: 'Strict',
  buttonBonding: true,
  buttonConnection: false,
  buttonNewChannel: false,
  pinBonding: false,
  pinConnection: false,
  pinNewChannel: false,
  masterKeyConnection: false,
  masterKeyNewChannel: false,
  pinExpiration: 3600,
  pinLength: 6,
  pinTryCount: 5,
};

const operations = (db: HesStore, serial: string): number[] =>
  db.tasks.forVault(serial).map((t) => t.operation);

/** A task for the rig's vault, written as HES's services would, with NeedSync set. */
function addTask(rig: RemoteRig, operation: TaskOperation, accountId: string | null): void {
  rig.db.transaction(() => {
    rig.db.tasks.insert({
      vaultId: rig.serial,
      accountId,
      operation,
      createdAt: new Date().toISOString(),
      timestamp: 1,
    });
    rig.db.vaults.update(rig.serial, { needSync: true });
  });
}

/** The NeedUpdate*Accounts flags HES's info reply gives for the vault now. */
async function accountFlags(rig: RemoteRig): Promise<[boolean, boolean]> {
  const dto = await rig.dto(HwVaultConnectionState.Online);
  const reply = await rig.ws.invoke<HwVaultInfoFromHesDto>('UpdateHwVaultProperties', dto, true);
  if (!reply.data) throw new Error(`no info: ${reply.code}`);
  return [reply.data.needUpdateOSAccounts, reply.data.needUpdateNonOSAccounts];
}

export const PROOFS: ProofMap = {
  '4.2': async () => {
    const world = await adminWorld(2);
    const [serial = '', other = ''] = world.serials;
    const db = HesStore.open(world.dbFile);
    closeWith(() => db.close());
    const raw = new DatabaseSync(world.dbFile);
    raw
      .prepare('UPDATE HardwareVaults SET StatusReason = ?, StatusDescription = ? WHERE Id = ?')
      .run(VaultStatusReason.Broken, 'returned', serial);
    raw.close();
    const employeeId = await createEmployee(world.server, 'Ann');
    const waiting = db.accounts.insert({ employeeId, name: 'Mail', login: 'ann', password: 'x' });
    db.accounts.insert({ employeeId, name: 'Wiki', login: 'ann' });
    const reserve = (hardwareVaultId: string, id: string) =>
      rest(world.server, 'POST', '/api/Employees/AddHardwareVault', {
        employeeId: id,
        hardwareVaultId,
      });
    expect((await reserve(serial, employeeId)).status).toBe(204);
    // One Create task, for the account still holding a password; NeedSync set.
    expect(db.tasks.forVault(serial).map((t) => [t.operation, t.accountId])).toEqual([
      [TaskOperation.Create, waiting.id],
    ]);
    expect(db.vaults.get(serial)).toMatchObject({
      status: VaultStatus.Reserved,
      employeeId,
      isStatusApplied: false,
      needSync: true,
      masterPassword: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      // Left as they were.
      statusReason: VaultStatusReason.Broken,
      statusDescription: 'returned',
    });
    expect(db.activations.pending(serial)).toBeDefined();
    // No password waiting (a soft-deleted account's does not count): no task, no NeedSync.
    const bob = await createEmployee(world.server, 'Bob');
    db.accounts.insert({ employeeId: bob, name: 'Mail', login: 'bob', password: 'y' });
    db.accounts.softDeleteForEmployee(bob);
    expect((await reserve(other, bob)).status).toBe(204);
    expect(operations(db, other)).toEqual([]);
    expect(db.vaults.get(other)?.needSync).toBe(false);
  },
  '4.10': async () => {
    const rig = await remoteRig({ reserved: true });
    await activeVault(rig);
    const { records } = await virtualKeys(1);
    rig.server.standIn.importVaults(records);
    const idle = records[0]?.serialNo ?? '';
    const created = await rest(rig.server, 'POST', '/api/HardwareVaults/CreateProfile', PROFILE);
    const id = (created.body as { id: string }).id;
    // SetAccessProfile: a Profile task, then the accounts update runs it on the online key.
    let next = rig.nextOutcome();
    const set = await rest(rig.server, 'POST', '/api/HardwareVaults/SetAccessProfile', {
      hardwareVaultId: rig.serial,
      profileId: id,
    });
    expect(set.status).toBe(204);
    expect(await next).toMatchObject({ job: 'UpdateHardwareVaultAccounts', code: 0 });
    expect((await rig.info()).minPinLength).toBe(6);
    expect(operations(rig.db, rig.serial)).toEqual([]);
    expect(rig.db.vaults.get(rig.serial)).toMatchObject({ profileId: id, needSync: false });
    // Edit: a Profile task for the Active/Locked/Suspended vaults using it (not a Ready one),
    // then the accounts update of every vault with a Profile task.
    rig.db.vaults.update(idle, { profileId: id });
    next = rig.nextOutcome();
    const edit = await rest(rig.server, 'PUT', `/api/HardwareVaults/EditProfile/${id}`, {
      ...PROFILE,
      id,
      pinLength: 8,
    });
    expect(edit.status).toBe(204);
    expect(operations(rig.db, idle)).toEqual([]);
    expect(await next).toMatchObject({ job: 'UpdateHardwareVaultAccounts', code: 0 });
    expect((await rig.info()).minPinLength).toBe(8);
    expect(operations(rig.db, rig.serial)).toEqual([]);
  },
  '4.22': async () => {
    const rig = await remoteRig({ reserved: true });
    await activeVault(rig);
    const employeeId = rig.db.vaults.get(rig.serial)?.employeeId ?? '';
    const account = rig.db.accounts.insert({ employeeId, name: 'Mail', login: 'eve' });
    // Profile task: Access over the channel, the task deleted, NeedSync cleared.
    addTask(rig, TaskOperation.Profile, null);
    const before = rig.commandCount();
    expect((await rig.ws.invoke('UpdateHwVaultAccounts', rig.serial, false)).code).toBe(0);
    expect(rig.commandCount()).toBeGreaterThan(before);
    expect(operations(rig.db, rig.serial)).toEqual([]);
    expect(rig.db.vaults.get(rig.serial)?.needSync).toBe(false);
    // Account task (deliberate): no account storage on the key; 1001, the task stays, so does NeedSync.
    addTask(rig, TaskOperation.Create, account.id);
    expect(await accountFlags(rig)).toEqual([false, true]);
    expect(await rig.ws.invoke('UpdateHwVaultAccounts', rig.serial, false)).toEqual({
      code: 1001,
      message: 'The stand-in cannot store accounts on this key (task operation 1)',
      data: null,
    });
    expect(operations(rig.db, rig.serial)).toEqual([TaskOperation.Create]);
    expect(rig.db.vaults.get(rig.serial)?.needSync).toBe(true);
    // Only the OS (primary) account's tasks: none here, so HES's loop ends and clears NeedSync.
    expect((await rig.ws.invoke('UpdateHwVaultAccounts', rig.serial, true)).code).toBe(0);
    expect(operations(rig.db, rig.serial)).toEqual([TaskOperation.Create]);
    expect(rig.db.vaults.get(rig.serial)?.needSync).toBe(false);
  },
};

// The remote jobs of HES's RemoteDeviceConnectionsService (hes-contract.md §2.2, §4.4 #7–#9,
// §5.3–§5.4), each run on the vault's verified session through a workstation, or, started by
// an admin action, in the background through a workstation HES picks: UpdateHardwareVaultStatus
// (refresh, 607, the status switch), CheckPassphrase (refresh, 607/616/620, CheckPassphrase),
// UpdateHardwareVaultAccounts (coalesced per vault; CheckPassphrase only on an unauthorized
// session; the task loop — Profile tasks run, account tasks fail: no account storage; NeedSync=false).
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { RemoteOpCode } from '../../remote-channel/ops';
import { TaskOperation, type TaskRecord, type VaultRecord } from '../store/records';
import { accessParams } from './access-params';
import { masterKeyOf, type DomainContext } from './domain-context';
import { hesError } from './envelope';
import { NonHideezError, NonHideezReason, NULL_REFERENCE_TEXT } from './ports';
import { syncVaultStatus } from './status-sync';
import { validateLink } from './vault-info';
import type { RemoteSession } from './vault-sessions';
import { syncActor } from './vault-writes';

/** HES's job names, as its log and ours carry them. */
export const RemoteJob = {
  UpdateStatus: 'UpdateHardwareVaultStatus',
  UpdateAccounts: 'UpdateHardwareVaultAccounts',
} as const;

/** HES passes the serial to a dictionary lookup: null fails there (ArgumentNullException). */
function serialOf(vaultId: unknown, parameter: string): string {
  if (typeof vaultId === 'string') return vaultId;
  throw new NonHideezError(
    NonHideezReason.NullReference,
    `Value cannot be null. (Parameter '${parameter}')`,
  );
}

/** HES ValidateAndGetHardwareVaultAsync: 607, then 616 / 620 from the key's link flag. */
function validatedVault(ctx: DomainContext, vaultId: string, linkRequired: boolean): VaultRecord {
  const vault = ctx.store.vaults.get(vaultId);
  if (!vault) throw hesError(HesErrorCode.HesDeviceNotFound);
  validateLink(vault, linkRequired);
  return vault;
}

/** HES ExecutePassphraseAsync: validation against the key's state, then CheckPassphrase. */
async function executePassphrase(
  ctx: DomainContext,
  session: RemoteSession,
  linkRequired: boolean,
): Promise<void> {
  const vault = validatedVault(ctx, session.vaultId, linkRequired);
  await session.run({ op: RemoteOpCode.CheckPassphrase, masterKey: masterKeyOf(vault) });
  session.authorized = true;
}

/** RDCS.UpdateHardwareVaultStatusAsync: refresh, the vault (607), the §2.2 switch. */
export function updateVaultStatus(
  ctx: DomainContext,
  vaultId: unknown,
  ws: string | null,
): Promise<void> {
  const serial = serialOf(vaultId, 'key');
  return ctx.sessions.run(serial, ws, async (session) => {
    const info = await session.run({ op: RemoteOpCode.GetState });
    const actor = syncActor(session.workstationId);
    await syncVaultStatus({ store: ctx.store, actor, now: ctx.now }, session, info);
  });
}

/** RDCS.CheckPassphraseAsync (AuthHwVault): refresh, validate, CheckPassphrase. No status check. */
export function checkPassphrase(ctx: DomainContext, vaultId: unknown, ws: string): Promise<void> {
  const serial = serialOf(vaultId, 'key');
  return ctx.sessions.run(serial, ws, async (session) => {
    const info = await session.run({ op: RemoteOpCode.GetState });
    await executePassphrase(ctx, session, info.access.linkRequired);
  });
}

/**
 * RDCS.UpdateHardwareVaultAccountsAsync: a call for a vault already in progress ends as that
 * one ends; else CheckPassphrase (and a refresh) unless the session is authorized, then the
 * remote tasks.
 */
export function updateVaultAccounts(
  ctx: DomainContext,
  vaultId: unknown,
  ws: string | null,
  onlyOsAccounts: boolean,
): Promise<void> {
  const serial = serialOf(vaultId, 'vaultId');
  return ctx.sessions.coalesce(serial, () =>
    ctx.sessions.run(serial, ws, async (session) => {
      if (!session.authorized) {
        // HES reads the link flag the Device holds from its last report.
        const known = session.lastInfo ?? (await session.run({ op: RemoteOpCode.GetState }));
        await executePassphrase(ctx, session, known.access.linkRequired);
        await session.run({ op: RemoteOpCode.GetState });
      }
      await executeRemoteTasks(ctx, session, onlyOsAccounts);
    }),
  );
}

/**
 * RTS.ExecuteRemoteTasks: the vault's tasks (only the OS account's with onlyOsAccounts) run
 * one by one, re-read until none is left, then NeedSync=false. A failing task aborts the rest.
 */
async function executeRemoteTasks(
  ctx: DomainContext,
  session: RemoteSession,
  onlyOsAccounts: boolean,
): Promise<void> {
  const { store } = ctx;
  const vault = store.vaults.get(session.vaultId);
  if (!vault) throw new NonHideezError(NonHideezReason.HesException, 'Hardware Vault not found.');
  let wanted: (task: TaskRecord) => boolean = () => true;
  if (onlyOsAccounts) {
    // HES reads vault.Employee.PrimaryAccountId: a vault without an employee fails here.
    const employee = vault.employeeId === null ? undefined : store.employees.get(vault.employeeId);
    if (!employee) throw new NonHideezError(NonHideezReason.NullReference, NULL_REFERENCE_TEXT);
    const primary = employee.primaryAccountId;
    wanted = (task) => task.accountId === primary || task.operation === TaskOperation.Primary;
  }
  const pending = (): TaskRecord[] => store.tasks.forVault(vault.id).filter(wanted);
  for (let tasks = pending(); tasks.length > 0; tasks = pending()) {
    for (const task of tasks) await runRemoteTask(ctx, session, task);
  }
  store.vaults.update(vault.id, { needSync: false });
}

/**
 * One task, then its deletion (RTS.ExecuteRemoteTask + TaskCompleted). Profile: Access with
 * the vault's profile (HES's task carries the vault's master key). Account tasks (Create,
 * Update, Delete, Primary) write the key's account storage through the SDK's password manager;
 * the keys the stand-in serves have none it can write (the open protocol has no account
 * storage, the Key 3's format is not known), so they fail (1001) and stay, as in HES after a
 * failed task, and NeedSync stays set.
 */
async function runRemoteTask(
  ctx: DomainContext,
  session: RemoteSession,
  task: TaskRecord,
): Promise<void> {
  const { store } = ctx;
  if (task.operation !== TaskOperation.Profile) {
    throw new NonHideezError(
      NonHideezReason.NotModelled,
      `The stand-in cannot store accounts on this key (task operation ${task.operation})`,
    );
  }
  const vault = store.vaults.get(task.vaultId);
  const profile = vault ? store.profiles.get(vault.profileId) : undefined;
  if (!vault || !profile)
    throw new NonHideezError(NonHideezReason.NullReference, NULL_REFERENCE_TEXT);
  await session.run({
    op: RemoteOpCode.Access,
    time: Math.floor(ctx.now().getTime() / 1000),
    masterKey: masterKeyOf(vault),
    profile: accessParams(profile),
  });
  // One Profile task per vault (HES's AddProfileAsync keeps only the newest).
  store.tasks.deleteForVaultOperation(task.vaultId, TaskOperation.Profile);
}

/** RDCS.StartUpdateHardwareVaultStatus: only for a vault announced somewhere; logged only. */
export function startUpdateVaultStatus(ctx: DomainContext, vaultId: string): void {
  startInBackground(ctx, vaultId, RemoteJob.UpdateStatus, () =>
    updateVaultStatus(ctx, vaultId, null),
  );
}

/** RDCS.StartUpdateHardwareVaultAccounts (onlyOsAccounts false): as above. */
export function startUpdateVaultAccounts(ctx: DomainContext, vaultId: string): void {
  startInBackground(ctx, vaultId, RemoteJob.UpdateAccounts, () =>
    updateVaultAccounts(ctx, vaultId, null, false),
  );
}

function startInBackground(
  ctx: DomainContext,
  vaultId: string,
  job: string,
  run: () => Promise<void>,
): void {
  if (ctx.sessions.connectedVia(vaultId).length === 0) return;
  // HES runs it in Task.Run after the admin's action has returned.
  setImmediate(() => {
    Promise.resolve()
      .then(run)
      .then(
        () => ctx.sessions.report(vaultId, job, undefined),
        (e: unknown) => ctx.sessions.report(vaultId, job, e),
      )
      .catch(() => undefined);
  });
}

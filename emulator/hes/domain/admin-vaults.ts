// The administrator's vault actions (hes-contract.md §2.1, A1–A9): import, reserve, remove,
// suspend, activate, compromise, show the code, and the admin's view of vaults. The state ×
// action rules come from shared/vault (the one table); a refusal becomes HES's admin error.
// After an action, a vault announced somewhere gets the server-started session HES starts
// (remote-jobs.ts): reserve and remove are HES's REST routes (StartUpdateHardwareVaultAccounts),
// suspend, activate and compromise its UI actions (StartUpdateHardwareVaultStatus).
import { createHash, randomBytes } from 'node:crypto';
import type { ActionOutcome } from '../../../shared/vault/action-table';
import { canPerform } from '../../../shared/vault/lifecycle';
import type { LifecycleAction } from '../../../shared/vault/lifecycle-action';
import {
  isVaultStatusReason,
  VaultStatus,
  VaultStatusReason,
} from '../../../shared/vault/vault-status';
import { provisioningSecret, type ProvisioningRecord } from '../../key/provision';
import type { Key3ProvisioningRecord } from '../../key3/provision-key3';
import { ActivationStatus, TaskOperation, type VaultRecord } from '../store/records';
import { newActivationCode } from './activation-code';
import {
  ADMIN,
  adminVault,
  invalid,
  isList,
  isNonEmptyString,
  type DomainContext,
} from './domain-context';
import { HesAdminError, HesAdminErrorCode } from './hes-admin-error';
import { startUpdateVaultAccounts, startUpdateVaultStatus } from './remote-jobs';
import { editRfid, setAccessProfile } from './vault-settings';
import { shortInfo } from './vault-info';
import { fullReset, writeVault } from './vault-writes';

/**
 * A provisioning record as imported: an open-protocol key's (with its seal secret) or a
 * Hideez Key 3's (`family: 'key3'`, no secret); `rfid` may be given, else one is derived.
 */
export type ImportRecord = (ProvisioningRecord | Key3ProvisioningRecord) & {
  readonly rfid?: string;
};

export interface ImportResult {
  readonly imported: readonly string[];
  /** Ids that already exist (HES skips them on re-import). */
  readonly skipped: readonly string[];
}

export interface StatusHistoryEntry {
  readonly time: string;
  readonly from: VaultStatus;
  readonly to: VaultStatus;
  readonly reason: VaultStatusReason;
  readonly actor: string;
}

export interface VaultStatusReport {
  readonly status: VaultStatus;
  readonly statusReason: VaultStatusReason;
  readonly statusDescription: string | null;
  readonly history: readonly StatusHistoryEntry[];
}

/** A vault as the admin lists it: never its master key, seal secret or activation code. */
export interface VaultSummary {
  readonly id: string;
  readonly mac: string;
  readonly model: string;
  readonly rfid: string;
  readonly firmware: string;
  readonly battery: number;
  readonly status: VaultStatus;
  readonly statusReason: VaultStatusReason;
  readonly statusDescription: string | null;
  readonly employeeId: string | null;
  readonly ownerName: string | null;
  readonly isStatusApplied: boolean;
  readonly needSync: boolean;
  readonly lastSynced: string | null;
  readonly importedAt: string;
  /** Workstations that announced it (ConnectionState Initializing) and have not said Offline. */
  readonly connectedVia: readonly string[];
  readonly isOnline: boolean;
}

export interface ActivationCodeResult {
  readonly activationCode: string;
}

const isKey3Record = (r: ImportRecord): r is Key3ProvisioningRecord & { rfid?: string } =>
  'family' in r && r.family === 'key3';
const secretOf = (r: ImportRecord): string => ('secret' in r ? r.secret : '');

/** An RFID for a key whose provisioning record has none: stable, 10 hex digits. */
const derivedRfid = (serialNo: string): string =>
  createHash('sha256').update(serialNo).digest('hex').slice(0, 10).toUpperCase();

export class AdminVaults {
  constructor(private readonly ctx: DomainContext) {}

  /** A9 with the virtual key's provisioning records in place of the licensing server. */
  importVaults(input: readonly ImportRecord[]): ImportResult {
    if (!isList(input)) throw invalid('provisioning records');
    const records: readonly ImportRecord[] = input;
    for (const r of records) {
      if (
        typeof r !== 'object' ||
        r === null ||
        ![r.serialNo, r.mac, r.model, r.firmwareVersion].every(isNonEmptyString) ||
        (r.rfid !== undefined && !isNonEmptyString(r.rfid))
      ) {
        throw invalid('provisioning record');
      }
      if (isKey3Record(r)) {
        if ('secret' in r) throw invalid('provisioning record secret');
        continue;
      }
      try {
        provisioningSecret(r as ProvisioningRecord);
      } catch {
        throw invalid('provisioning record secret');
      }
    }
    const { store } = this.ctx;
    const time = this.ctx.now().toISOString();
    return store.transaction(() => {
      const imported: string[] = [];
      const skipped: string[] = [];
      for (const r of records) {
        if (store.vaults.get(r.serialNo)) {
          skipped.push(r.serialNo);
          continue;
        }
        store.vaults.insert({
          id: r.serialNo,
          mac: r.mac,
          model: r.model,
          rfid: r.rfid ?? derivedRfid(r.serialNo),
          firmware: r.firmwareVersion,
          importedAt: time,
          provisioningSecret: secretOf(r),
          keyFamily: isKey3Record(r) ? 'key3' : 'open',
        });
        imported.push(r.serialNo);
      }
      return { imported, skipped };
    });
  }

  /** A1: Ready → Reserved with a new master key and activation code, one vault per employee. */
  reserve(vaultId: string, employeeId: string): ActivationCodeResult {
    const { store } = this.ctx;
    const employee = isNonEmptyString(employeeId) ? store.employees.get(employeeId) : undefined;
    if (!employee)
      throw new HesAdminError(HesAdminErrorCode.EmployeeNotFound, 'employee not found');
    if (store.vaults.byEmployee(employee.id).length > 0) {
      throw new HesAdminError(
        HesAdminErrorCode.OneHardwareVaultConstraint,
        'the employee already has a hardware vault',
      );
    }
    const vault = adminVault(store, vaultId);
    this.allowed(vault, 'reserve');
    const code = newActivationCode();
    const now = this.ctx.now();
    const time = now.toISOString();
    store.transaction(() => {
      // HES creates a Create task for each account still holding a password (made before the
      // employee had a vault) and then flags the vault for sync; StatusReason and
      // StatusDescription are left as they were.
      const waiting = store.accounts.forEmployee(employee.id).filter((a) => a.password !== null);
      writeVault(
        store,
        vault,
        {
          employeeId: employee.id,
          status: VaultStatus.Reserved,
          isStatusApplied: false,
          masterPassword: randomBytes(32).toString('hex'),
          ...(waiting.length > 0 ? { needSync: true } : {}),
        },
        ADMIN,
        time,
      );
      store.activations.create(vault.id, code, time);
      for (const account of waiting) {
        store.tasks.insert({
          vaultId: vault.id,
          accountId: account.id,
          operation: TaskOperation.Create,
          createdAt: time,
          timestamp: Math.floor(now.getTime() / 1000),
        });
      }
    });
    startUpdateVaultAccounts(this.ctx, vault.id);
    return { activationCode: code };
  }

  /** A2: Reserved and never linked → Ready; Reserved/Active/Locked/Suspended → Deactivated. */
  remove(vaultId: string, reason: VaultStatusReason): VaultStatusReport {
    if (!isVaultStatusReason(reason)) throw invalid('reason');
    const { store } = this.ctx;
    const vault = adminVault(store, vaultId);
    const outcome = this.allowed(vault, 'remove');
    const time = this.ctx.now().toISOString();
    store.transaction(() => {
      store.tasks.deleteForVault(vault.id);
      store.proximity.deleteForVault(vault.id); // HES drops the vault's proximity pairs too
      if (outcome.to === VaultStatus.Ready) {
        fullReset(store, vault, ADMIN, time);
        return;
      }
      this.dropEmployeeAccountsIfLastVault(vault);
      // Quirk kept: the pending activation is not canceled here (the wipe's reset cancels it).
      writeVault(
        store,
        vault,
        { status: VaultStatus.Deactivated, statusReason: reason, employeeId: null },
        ADMIN,
        time,
      );
    });
    startUpdateVaultAccounts(this.ctx, vault.id);
    return this.vaultStatus(vault.id);
  }

  /** A3: Active → Suspended with a new code, to be applied (LockDeviceCode) at the next sync. */
  suspend(vaultId: string, description?: string): ActivationCodeResult {
    if (description !== undefined && typeof description !== 'string') throw invalid('description');
    const vault = adminVault(this.ctx.store, vaultId);
    this.allowed(vault, 'suspend');
    const result = this.newCode(vault, VaultStatus.Suspended, description ?? null);
    startUpdateVaultStatus(this.ctx, vault.id);
    return result;
  }

  /** A4: Locked → Suspended (not Active) with a new code. */
  activate(vaultId: string): ActivationCodeResult {
    const vault = adminVault(this.ctx.store, vaultId);
    this.allowed(vault, 'activate');
    const result = this.newCode(vault, VaultStatus.Suspended, null);
    startUpdateVaultStatus(this.ctx, vault.id);
    return result;
  }

  /** A5: an assigned vault → Compromised (terminal); the master key is forgotten. */
  compromise(vaultId: string, reason: VaultStatusReason, description?: string): VaultStatusReport {
    if (!isVaultStatusReason(reason)) throw invalid('reason');
    if (description !== undefined && typeof description !== 'string') throw invalid('description');
    const { store } = this.ctx;
    const vault = adminVault(store, vaultId);
    this.allowed(vault, 'compromise');
    const time = this.ctx.now().toISOString();
    store.transaction(() => {
      this.dropEmployeeAccountsIfLastVault(vault, false);
      writeVault(
        store,
        vault,
        {
          employeeId: null,
          masterPassword: null,
          needSync: false,
          status: VaultStatus.Compromised,
          statusReason: reason,
          statusDescription: description ?? null,
        },
        ADMIN,
        time,
      );
      store.activations.setPending(vault.id, ActivationStatus.Canceled);
      store.tasks.deleteForVault(vault.id);
      store.proximity.deleteForVault(vault.id); // HES drops the vault's proximity pairs too
    });
    startUpdateVaultStatus(this.ctx, vault.id);
    return this.vaultStatus(vault.id);
  }

  /**
   * A6 (`HVS.GetVaultActivationCodeAsync`): the pending code, whatever the status. HES's UI
   * offers it only for Reserved and Suspended vaults, but the method checks no status.
   */
  activationCode(vaultId: string): ActivationCodeResult {
    const { store } = this.ctx;
    const vault = adminVault(store, vaultId);
    const pending = store.activations.pending(vault.id);
    if (!pending) {
      throw new HesAdminError(
        HesAdminErrorCode.ActivationCodeNotFound,
        'no pending activation code',
      );
    }
    return { activationCode: pending.code };
  }

  vaultStatus(vaultId: string): VaultStatusReport {
    const { store } = this.ctx;
    const vault = adminVault(store, vaultId);
    return {
      status: vault.status,
      statusReason: vault.statusReason,
      statusDescription: vault.statusDescription,
      history: store.history
        .forVault(vault.id)
        .map(({ time, from, to, reason, actor }) => ({ time, from, to, reason, actor })),
    };
  }

  listVaults(): VaultSummary[] {
    const { store, sessions } = this.ctx;
    return store.vaults.list().map((v) => {
      const via = sessions.connectedVia(v.id);
      return {
        id: v.id,
        mac: v.mac,
        model: v.model,
        rfid: v.rfid,
        firmware: v.firmware,
        battery: v.battery,
        status: v.status,
        statusReason: v.statusReason,
        statusDescription: v.statusDescription,
        employeeId: v.employeeId,
        ownerName: shortInfo(store, v).ownerName,
        isStatusApplied: v.isStatusApplied,
        needSync: v.needSync,
        lastSynced: v.lastSynced,
        importedAt: v.importedAt,
        connectedVia: via,
        isOnline: via.length > 0,
      };
    });
  }

  // ---- A7 / A8 through HES's REST (SetAccessProfile, EditHardwareVaultRfid): vault-settings.ts ----

  setAccessProfile(vaultId: string, profileId: string): void {
    setAccessProfile(this.ctx, vaultId, profileId);
  }

  editRfid(vaultId: string, rfid: string): void {
    editRfid(this.ctx, vaultId, rfid);
  }

  /** The shared action table decides; a rejection becomes the HES-named admin error. */
  private allowed(
    vault: VaultRecord,
    action: LifecycleAction,
  ): Extract<ActionOutcome, { result: 'succeeds' }> {
    const outcome = canPerform(vault.status, action, { statusApplied: vault.isStatusApplied });
    if (outcome.result === 'succeeds') return outcome;
    const r = outcome.rejection;
    const code = r.source === 'server' ? r.name : HesAdminErrorCode.StatusNotAllowed;
    throw new HesAdminError(code, `${action} is not allowed for a vault in status ${vault.status}`);
  }

  /** Suspend / Activate: the new status, no reason, not applied, a new code. */
  private newCode(
    vault: VaultRecord,
    status: VaultStatus,
    description: string | null,
  ): ActivationCodeResult {
    const { store } = this.ctx;
    const code = newActivationCode();
    const time = this.ctx.now().toISOString();
    store.transaction(() => {
      writeVault(
        store,
        vault,
        {
          status,
          statusReason: VaultStatusReason.None,
          statusDescription: description,
          isStatusApplied: false,
        },
        ADMIN,
        time,
      );
      store.activations.create(vault.id, code, time);
    });
    return { activationCode: code };
  }

  /** If this is the employee's only vault, their accounts are soft-deleted (A2, A5). */
  private dropEmployeeAccountsIfLastVault(vault: VaultRecord, clearPrimary = true): void {
    const { store } = this.ctx;
    if (vault.employeeId === null) return;
    if (store.vaults.byEmployee(vault.employeeId).length !== 1) return;
    // A5 quirk kept: Compromise leaves PrimaryAccountId set.
    if (clearPrimary) store.employees.clearPrimaryAccount(vault.employeeId);
    store.accounts.softDeleteForEmployee(vault.employeeId);
  }
}

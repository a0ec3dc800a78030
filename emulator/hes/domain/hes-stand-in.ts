// The HES stand-in's domain (contract-issue4 "R1 ↔ R2"): admin actions (hes-contract.md §2.1)
// and the AppHub methods (§4.4) over the SQLite store, with vault commands sent sealed over a
// VaultRelay and pushes to workstations through a WorkstationNotifier. The state × action
// rules come from shared/vault (the one table); quirks kept or fixed are listed in README.md.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import {
  HwVaultConnectionState,
  type HesResponse,
  type HwVaultInfoFromClientDto,
  type HwVaultInfoFromHesDto,
  type HwVaultLicenseDto,
  type HwVaultShortInfoFromHesDto,
  type WorkstationInfoDto,
} from '../../../shared/hes/dto';
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
import { RemoteOpCode } from '../../remote-channel/ops';
import type { HesStore } from '../store/hes-store';
import {
  ActivationStatus,
  type LicenseRecord,
  type VaultRecord,
  type WorkstationRecord,
} from '../store/records';
import { newActivationCode } from './activation-code';
import { saveEvent } from './audit';
import { envelope, hesError, okData, okPlain } from './envelope';
import { HesAdminError, HesAdminErrorCode } from './hes-admin-error';
import type { VaultRelay, WorkstationNotifier } from './ports';
import { TEST_VENDOR_PUBLIC_KEY } from '../../../device/key3/crypto/vendor-keys';
import { Key3RemoteVault } from './key3-remote-vault';
import { RemoteChannels, SealedRemoteVault, type RemoteVault } from './remote-vault';
import { syncVaultStatus } from './status-sync';
import { shortInfo, validateLink, vaultInfo } from './vault-info';
import { fullReset, syncActor, writeVault, type Actor } from './vault-writes';

export interface HesStandInOptions {
  readonly store: HesStore;
  readonly relay: VaultRelay;
  readonly notifier: WorkstationNotifier;
  readonly now?: () => Date;
  /**
   * The vendor key a Hideez Key 3's certificate must verify against (HES: the real one in
   * its cryptolib). Default: the test vendor key that certifies the virtual Key 3s.
   */
  readonly key3VendorPublicKey?: Uint8Array;
}

/**
 * A provisioning record as imported: an open-protocol key's (with its seal secret) or a
 * Hideez Key 3's (`family: 'key3'`, no secret); `rfid` may be given, else one is derived.
 */
export type ImportRecord = (ProvisioningRecord | Key3ProvisioningRecord) & {
  readonly rfid?: string;
};

const isKey3Record = (r: ImportRecord): r is Key3ProvisioningRecord & { rfid?: string } =>
  'family' in r && r.family === 'key3';
const secretOf = (r: ImportRecord): string => ('secret' in r ? r.secret : '');

export interface ImportResult {
  readonly imported: readonly string[];
  /** Ids that already exist (HES skips them on re-import). */
  readonly skipped: readonly string[];
}

export interface EmployeeSummary {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
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

export interface WorkstationSummary extends WorkstationRecord {
  readonly isOnline: boolean;
}

export interface ActivationCodeResult {
  readonly activationCode: string;
}

const ADMIN: Actor = 'admin';
const NO_WORKSTATION_ID = 'AppHub does not contain WorkstationId!';

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);

function invalid(what: string): HesAdminError {
  return new HesAdminError(HesAdminErrorCode.InvalidArgument, `invalid ${what}`);
}

/** An RFID for a key whose provisioning record has none: stable, 10 hex digits. */
const derivedRfid = (serialNo: string): string =>
  createHash('sha256').update(serialNo).digest('hex').slice(0, 10).toUpperCase();

/** Checks the fields of the client's vault DTO the server reads (STJ would refuse others). */
function readVaultDto(value: unknown): HwVaultInfoFromClientDto {
  if (typeof value !== 'object' || value === null)
    throw new TypeError('HwVaultInfoFromClientDto is null');
  const d = value as Record<string, unknown>;
  const bools = ['isLocked', 'isCanUnlock', 'isLinkRequired'];
  const ints = ['battery', 'storageTimestamp', 'connectionState'];
  if (
    !isNonEmptyString(d['vaultSerialNo']) ||
    typeof d['firmwareVersion'] !== 'string' ||
    bools.some((k) => typeof d[k] !== 'boolean') ||
    ints.some((k) => !Number.isInteger(d[k]))
  ) {
    throw new TypeError('HwVaultInfoFromClientDto is malformed');
  }
  return value as HwVaultInfoFromClientDto;
}

export class HesStandIn {
  private readonly store: HesStore;
  private readonly notifier: WorkstationNotifier;
  private readonly now: () => Date;
  private readonly channels: RemoteChannels;
  private readonly key3VendorKey: Uint8Array;
  /** vaultId → workstations it was announced through (hes-contract.md §4.9; not persisted). */
  private readonly connectedVia = new Map<string, Set<string>>();

  constructor(options: HesStandInOptions) {
    this.store = options.store;
    this.notifier = options.notifier;
    this.now = options.now ?? (() => new Date());
    this.key3VendorKey = options.key3VendorPublicKey ?? TEST_VENDOR_PUBLIC_KEY;
    const relay = options.relay;
    this.channels = new RemoteChannels((vaultId, ws) => relay.open(vaultId, ws));
  }

  // ---- admin ----------------------------------------------------------------

  /**
   * A licence arrives for a vault (in HES, from the licensing server's order): stored
   * unapplied, so the vault's next info says NeedUpdateLicense. Data defaults to 64
   * random bytes: the virtual key stores licences without checking a signature.
   */
  addLicense(
    vaultId: string,
    options: { readonly endDate?: string | null; readonly data?: Uint8Array } = {},
  ): LicenseSummary {
    const vault = this.vault(vaultId);
    const endDate = options.endDate ?? null;
    if (endDate !== null && (typeof endDate !== 'string' || Number.isNaN(Date.parse(endDate)))) {
      throw invalid('licence end date');
    }
    const data = options.data ?? new Uint8Array(randomBytes(64));
    if (!(data instanceof Uint8Array) || data.length === 0 || data.length > 1024) {
      throw invalid('licence data');
    }
    return this.store.transaction(() => {
      const license = this.store.licenses.insert({
        vaultId: vault.id,
        licenseOrderId: randomUUID(),
        importedAt: this.now().toISOString(),
        appliedAt: null,
        endDate,
        data,
      });
      this.store.vaults.update(vault.id, { hasNewLicense: true });
      return { id: license.id, vaultId: vault.id, endDate, appliedAt: null };
    });
  }

  /** The vault's licences, without their data. */
  licenses(vaultId: string): LicenseSummary[] {
    const vault = this.vault(vaultId);
    return this.store.licenses
      .forVault(vault.id)
      .map((l) => ({ id: l.id, vaultId: l.vaultId, endDate: l.endDate, appliedAt: l.appliedAt }));
  }

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
    const time = this.now().toISOString();
    return this.store.transaction(() => {
      const imported: string[] = [];
      const skipped: string[] = [];
      for (const r of records) {
        if (this.store.vaults.get(r.serialNo)) {
          skipped.push(r.serialNo);
          continue;
        }
        this.store.vaults.insert({
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

  addEmployee(employee: { firstName: string; lastName: string; email?: string }): EmployeeSummary {
    const { firstName, lastName, email } = employee ?? {};
    if (!isNonEmptyString(firstName) || !isNonEmptyString(lastName)) throw invalid('employee name');
    if (email !== undefined && typeof email !== 'string') throw invalid('employee e-mail');
    if (this.store.employees.byName(firstName, lastName)) {
      throw new HesAdminError(
        HesAdminErrorCode.EmployeeAlreadyExists,
        'an employee with this name exists',
      );
    }
    const e = this.store.employees.insert({ firstName, lastName, email: email ?? null });
    return { id: e.id, firstName: e.firstName, lastName: e.lastName, email: e.email };
  }

  listEmployees(): EmployeeSummary[] {
    return this.store.employees
      .list()
      .map((e) => ({ id: e.id, firstName: e.firstName, lastName: e.lastName, email: e.email }));
  }

  /** A1: Ready → Reserved with a new master key and activation code, one vault per employee. */
  reserve(vaultId: string, employeeId: string): ActivationCodeResult {
    const employee = isNonEmptyString(employeeId)
      ? this.store.employees.get(employeeId)
      : undefined;
    if (!employee)
      throw new HesAdminError(HesAdminErrorCode.EmployeeNotFound, 'employee not found');
    if (this.store.vaults.byEmployee(employee.id).length > 0) {
      throw new HesAdminError(
        HesAdminErrorCode.OneHardwareVaultConstraint,
        'the employee already has a hardware vault',
      );
    }
    const vault = this.vault(vaultId);
    this.allowed(vault, 'reserve');
    const code = newActivationCode();
    const time = this.now().toISOString();
    this.store.transaction(() => {
      writeVault(
        this.store,
        vault,
        {
          employeeId: employee.id,
          status: VaultStatus.Reserved,
          statusReason: VaultStatusReason.None,
          statusDescription: null,
          isStatusApplied: false,
          masterPassword: randomBytes(32).toString('hex'),
        },
        ADMIN,
        time,
      );
      this.store.activations.create(vault.id, code, time);
    });
    return { activationCode: code };
  }

  /** A2: Reserved and never linked → Ready; Reserved/Active/Locked/Suspended → Deactivated. */
  remove(vaultId: string, reason: VaultStatusReason): VaultStatusReport {
    if (!isVaultStatusReason(reason)) throw invalid('reason');
    const vault = this.vault(vaultId);
    const outcome = this.allowed(vault, 'remove');
    const time = this.now().toISOString();
    this.store.transaction(() => {
      this.store.tasks.deleteForVault(vault.id);
      if (outcome.to === VaultStatus.Ready) {
        fullReset(this.store, vault, ADMIN, time);
        return;
      }
      this.dropEmployeeAccountsIfLastVault(vault);
      // Quirk kept: the pending activation is not canceled here (the wipe's reset cancels it).
      writeVault(
        this.store,
        vault,
        { status: VaultStatus.Deactivated, statusReason: reason, employeeId: null },
        ADMIN,
        time,
      );
    });
    return this.vaultStatus(vault.id);
  }

  /** A3: Active → Suspended with a new code, to be applied (LockDeviceCode) at the next sync. */
  suspend(vaultId: string, description?: string): ActivationCodeResult {
    if (description !== undefined && typeof description !== 'string') throw invalid('description');
    const vault = this.vault(vaultId);
    this.allowed(vault, 'suspend');
    return this.newCode(vault, VaultStatus.Suspended, description ?? null);
  }

  /** A4: Locked → Suspended (not Active) with a new code. */
  activate(vaultId: string): ActivationCodeResult {
    const vault = this.vault(vaultId);
    this.allowed(vault, 'activate');
    return this.newCode(vault, VaultStatus.Suspended, null);
  }

  /** A5: an assigned vault → Compromised (terminal); the master key is forgotten. */
  compromise(vaultId: string, reason: VaultStatusReason, description?: string): VaultStatusReport {
    if (!isVaultStatusReason(reason)) throw invalid('reason');
    if (description !== undefined && typeof description !== 'string') throw invalid('description');
    const vault = this.vault(vaultId);
    this.allowed(vault, 'compromise');
    const time = this.now().toISOString();
    this.store.transaction(() => {
      this.dropEmployeeAccountsIfLastVault(vault, false);
      writeVault(
        this.store,
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
      this.store.activations.setPending(vault.id, ActivationStatus.Canceled);
      this.store.tasks.deleteForVault(vault.id);
    });
    return this.vaultStatus(vault.id);
  }

  /** A6: the pending code of a Reserved or Suspended vault. */
  activationCode(vaultId: string): ActivationCodeResult {
    const vault = this.vault(vaultId);
    this.allowed(vault, 'showActivationCode');
    const pending = this.store.activations.pending(vault.id);
    if (!pending) {
      throw new HesAdminError(
        HesAdminErrorCode.ActivationCodeNotFound,
        'no pending activation code',
      );
    }
    return { activationCode: pending.code };
  }

  /** Approve (UI path): pushes UpdateRFIDIndicatorState(rfid) and WorkstationApproved(). */
  approveWorkstation(id: string, options: { rfid?: boolean } = {}): WorkstationSummary {
    const ws = this.workstation(id);
    const rfid = options.rfid ?? false;
    if (typeof rfid !== 'boolean') throw invalid('rfid flag');
    this.store.workstations.setApproval(ws.id, true, rfid);
    this.notifier.send(ws.id, 'UpdateRFIDIndicatorState', rfid);
    this.notifier.send(ws.id, 'WorkstationApproved');
    return this.workstationSummary(this.workstation(ws.id));
  }

  /** Unapprove: Approved=false, RFID=false, no department; pushes WorkstationUnapproved(). */
  unapproveWorkstation(id: string): WorkstationSummary {
    const ws = this.workstation(id);
    this.store.workstations.setApproval(ws.id, false, false);
    this.notifier.send(ws.id, 'WorkstationUnapproved');
    return this.workstationSummary(this.workstation(ws.id));
  }

  /** The global alarm: kept across restarts, pushed to every online workstation. */
  setAlarm(on: boolean): { alarm: boolean } {
    if (typeof on !== 'boolean') throw invalid('alarm state');
    this.store.settings.setAlarm(on);
    for (const ws of this.notifier.online()) this.notifier.send(ws, 'SetAlarmState', on);
    return { alarm: on };
  }

  get alarm(): boolean {
    return this.store.settings.alarm();
  }

  vaultStatus(vaultId: string): VaultStatusReport {
    const vault = this.vault(vaultId);
    return {
      status: vault.status,
      statusReason: vault.statusReason,
      statusDescription: vault.statusDescription,
      history: this.store.history
        .forVault(vault.id)
        .map(({ time, from, to, reason, actor }) => ({ time, from, to, reason, actor })),
    };
  }

  listVaults(): VaultSummary[] {
    return this.store.vaults.list().map((v) => {
      const via = [...(this.connectedVia.get(v.id) ?? [])];
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
        ownerName: shortInfo(this.store, v).ownerName,
        isStatusApplied: v.isStatusApplied,
        needSync: v.needSync,
        lastSynced: v.lastSynced,
        importedAt: v.importedAt,
        connectedVia: via,
        isOnline: via.length > 0,
      };
    });
  }

  listWorkstations(): WorkstationSummary[] {
    return this.store.workstations.list().map((ws) => this.workstationSummary(ws));
  }

  // ---- AppHub ---------------------------------------------------------------

  /** #1: upsert, push proximity (none) and RFID state, reset a stale alarm, then the gate. */
  registerWorkstationInfo(
    workstationId: string | undefined,
    dto: WorkstationInfoDto,
  ): Promise<HesResponse> {
    return envelope(() => {
      const d = dto as unknown as Record<string, unknown> | null;
      if (typeof d !== 'object' || d === null || !isNonEmptyString(d['id'])) {
        throw new TypeError('WorkstationInfoDto is null or has no id');
      }
      const text = (k: string): string => {
        const value = d[k];
        return typeof value === 'string' ? value : '';
      };
      const ws = this.store.workstations.upsert({
        id: dto.id,
        name: text('machineName'),
        domain: text('domain'),
        clientVersion: text('appVersion'),
        os: text('osName'),
        ip: text('ip'),
        lastSeen: this.now().toISOString(),
      });
      this.notifier.send(ws.id, 'UpdateProximitySettings', []);
      this.notifier.send(ws.id, 'UpdateRFIDIndicatorState', ws.rfid);
      if (d['isAlarmTurnOn'] === true && !this.alarm) {
        this.notifier.send(ws.id, 'SetAlarmState', false);
      }
      this.gate(workstationId);
      return okPlain();
    });
  }

  /** #2: each event stored once; per-event failures are skipped (HES only logs them). */
  saveClientEvents(
    workstationId: string | undefined,
    events: readonly unknown[],
  ): Promise<HesResponse> {
    return envelope(() => {
      if (!isList(events))
        throw new TypeError('Value cannot be null. (Parameter workstationEventsDto)');
      this.gate(workstationId);
      const now = this.now().toISOString();
      for (const event of events) {
        try {
          saveEvent(this.store, event, now);
        } catch {
          // HES logs a per-event error and answers Ok.
        }
      }
      return okPlain();
    });
  }

  getHwVaultInfoBySerialNo(
    wsId: string | undefined,
    serialNo: string,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return this.lookup(wsId, () => this.store.vaults.get(serialNo));
  }

  getHwVaultInfoByMac(
    wsId: string | undefined,
    mac: string,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return this.lookup(wsId, () => this.store.vaults.byMac(mac));
  }

  getHwVaultInfoByRfid(
    wsId: string | undefined,
    rfid: string,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return this.lookup(wsId, () => this.store.vaults.byRfid(rfid));
  }

  /** #6: stores battery, firmware, storage timestamp; tracks where the vault is connected. */
  updateHwVaultProperties(
    wsId: string | undefined,
    dto: HwVaultInfoFromClientDto,
    returnInfo: boolean,
  ): Promise<HesResponse<HwVaultInfoFromHesDto>> {
    return envelope(() => {
      const ws = this.gate(wsId);
      const d = readVaultDto(dto);
      const vault = this.clientVault(d.vaultSerialNo);
      const time = this.now().toISOString();
      this.store.vaults.update(vault.id, {
        timestamp: d.storageTimestamp,
        battery: d.battery,
        firmware: d.firmwareVersion,
        lastSynced: time,
      });
      if (d.connectionState === HwVaultConnectionState.Initializing) {
        const set = this.connectedVia.get(vault.id) ?? new Set<string>();
        set.add(ws);
        this.connectedVia.set(vault.id, set);
      } else if (d.connectionState === HwVaultConnectionState.Offline) {
        this.forgetConnection(vault.id, ws);
        if (vault.employeeId !== null) this.store.employees.setLastSeen(vault.employeeId, time);
      }
      if (returnInfo !== true)
        return okData<HwVaultInfoFromHesDto | null>(null) as HesResponse<HwVaultInfoFromHesDto>;
      return okData(vaultInfo(this.store, this.clientVault(vault.id), d));
    });
  }

  /** #7: the §2.2 switch over the remote channel, then the info from the sent DTO (§2.3). */
  updateHwVaultStatus(
    wsId: string | undefined,
    dto: HwVaultInfoFromClientDto,
  ): Promise<HesResponse<HwVaultInfoFromHesDto>> {
    return envelope(async () => {
      const ws = this.gate(wsId);
      const d = readVaultDto(dto);
      const vault = this.clientVault(d.vaultSerialNo);
      await this.remote(vault.id, ws, (remote) =>
        syncVaultStatus({ store: this.store, actor: syncActor(ws), now: this.now }, remote),
      );
      return okData(vaultInfo(this.store, this.clientVault(vault.id), d));
    });
  }

  /** #8: refresh, validate 616/620 against the key, CheckPassphrase(master key). */
  authHwVault(wsId: string | undefined, serialNo: string): Promise<HesResponse> {
    return envelope(async () => {
      const ws = this.gate(wsId);
      const vault = this.clientVault(serialNo);
      await this.remote(vault.id, ws, async (remote) => {
        const info = await remote.run({ op: RemoteOpCode.GetState });
        const current = this.clientVault(vault.id);
        validateLink(current, info.access.linkRequired);
        await remote.run({ op: RemoteOpCode.CheckPassphrase, masterKey: this.masterKey(current) });
      });
      return okPlain();
    });
  }

  /**
   * #9: CheckPassphrase, then the pending tasks. The remote channel has no account ops, so
   * tasks stay pending; with none left NeedSync becomes false.
   */
  updateHwVaultAccounts(
    wsId: string | undefined,
    serialNo: string,
    onlyOsAccounts: boolean,
  ): Promise<HesResponse> {
    return envelope(async () => {
      const ws = this.gate(wsId);
      if (typeof onlyOsAccounts !== 'boolean')
        throw new TypeError('onlyOsAccounts is not a boolean');
      const vault = this.clientVault(serialNo);
      await this.remote(vault.id, ws, async (remote) => {
        await remote.run({
          op: RemoteOpCode.CheckPassphrase,
          masterKey: this.masterKey(this.clientVault(vault.id)),
        });
        if (this.store.tasks.forVault(vault.id).length === 0) {
          this.store.vaults.update(vault.id, { needSync: false });
        }
      });
      return okPlain();
    });
  }

  /** #10: licences not applied yet (AppliedAt null, Data present). */
  getNewHwVaultLicenses(
    wsId: string | undefined,
    vaultId: string,
  ): Promise<HesResponse<HwVaultLicenseDto[]>> {
    return envelope(() => {
      this.gate(wsId);
      const vault = this.clientVault(vaultId);
      return okData(this.store.licenses.fresh(vault.id).map(licenseDto));
    });
  }

  /** #11: AppliedAt=now; HasNewLicense cleared when none is left; LicenseEndDate = the later end. Unknown → 1001. */
  hwVaultLicenseApplied(
    wsId: string | undefined,
    vaultId: string,
    licenseId: string,
  ): Promise<HesResponse> {
    return envelope(() => {
      this.gate(wsId);
      const vault = this.clientVault(vaultId);
      const license = this.store.licenses.get(vault.id, licenseId);
      if (!license) throw new Error('LicenseForHardwareVaultNotFound');
      this.store.transaction(() => {
        this.store.licenses.markApplied(license.id, this.now().toISOString());
        this.store.vaults.update(vault.id, {
          hasNewLicense: this.store.licenses.fresh(vault.id).length > 0,
          licenseEndDate: laterEnd(vault.licenseEndDate, license.endDate),
        });
      });
      return okPlain();
    });
  }

  /** #12: licences ending today or later (UTC), Data present. */
  getHwVaultLicenses(
    wsId: string | undefined,
    vaultId: string,
  ): Promise<HesResponse<HwVaultLicenseDto[]>> {
    return envelope(() => {
      this.gate(wsId);
      const vault = this.clientVault(vaultId);
      const today = this.now().toISOString().slice(0, 10);
      return okData(this.store.licenses.active(vault.id, today).map(licenseDto));
    });
  }

  /** AppHub disconnect: remote sessions dropped, connections forgotten, open sessions closed. */
  workstationDisconnected(wsId: string): void {
    if (!isNonEmptyString(wsId)) return;
    this.channels.dropWorkstation(wsId);
    for (const vaultId of [...this.connectedVia.keys()]) this.forgetConnection(vaultId, wsId);
    if (this.store.workstations.get(wsId)) {
      this.store.sessions.closeAllOpen(wsId, this.now().toISOString());
    }
  }

  // ---- internals ------------------------------------------------------------

  /** 1001 without a WorkstationId, 604 unknown or unapproved, 618 alarm. */
  private gate(wsId: string | undefined): string {
    if (!isNonEmptyString(wsId)) throw new Error(NO_WORKSTATION_ID);
    const ws = this.store.workstations.get(wsId);
    if (!ws || !ws.approved) throw hesError(HesErrorCode.HesWorkstationNotApproved);
    if (this.alarm) throw hesError(HesErrorCode.HesAlarm);
    return ws.id;
  }

  private lookup(
    wsId: string | undefined,
    find: () => VaultRecord | undefined,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return envelope(() => {
      this.gate(wsId);
      const vault = find();
      // Quirk kept: HES dereferences the missing vault (NullReferenceException → 1001, no 607).
      if (!vault) throw new Error('Object reference not set to an instance of an object.');
      return okData(shortInfo(this.store, vault));
    });
  }

  /** Runs a remote job; 511 unless the vault was announced through this workstation. */
  private remote<T>(
    vaultId: string,
    ws: string,
    job: (remote: RemoteVault) => Promise<T>,
  ): Promise<T> {
    if (!this.connectedVia.get(vaultId)?.has(ws)) {
      return Promise.reject(hesError(HesErrorCode.DeviceNotConnectedToAnyHost));
    }
    const family = this.store.vaults.get(vaultId)?.keyFamily;
    return this.channels.run(vaultId, ws, (channel) =>
      job(
        family === 'key3'
          ? new Key3RemoteVault(this.store, vaultId, channel, this.key3VendorKey, this.now)
          : new SealedRemoteVault(this.store, vaultId, channel),
      ),
    );
  }

  private forgetConnection(vaultId: string, ws: string): void {
    const set = this.connectedVia.get(vaultId);
    if (!set?.delete(ws)) return;
    if (set.size === 0) this.connectedVia.delete(vaultId);
    this.channels.drop(vaultId, ws);
  }

  private masterKey(vault: VaultRecord): Uint8Array {
    if (vault.masterPassword === null) throw hesError(HesErrorCode.HesEmptyMasterKey);
    return new Uint8Array(Buffer.from(vault.masterPassword, 'hex'));
  }

  /** A vault the client names: 607 if unknown. */
  private clientVault(id: unknown): VaultRecord {
    const vault = isNonEmptyString(id) ? this.store.vaults.get(id) : undefined;
    if (!vault) throw hesError(HesErrorCode.HesDeviceNotFound);
    return vault;
  }

  /** A vault an admin names. */
  private vault(id: string): VaultRecord {
    const vault = isNonEmptyString(id) ? this.store.vaults.get(id) : undefined;
    if (!vault)
      throw new HesAdminError(HesAdminErrorCode.HardwareVaultNotFound, 'hardware vault not found');
    return vault;
  }

  private workstation(id: string): WorkstationRecord {
    const ws = isNonEmptyString(id) ? this.store.workstations.get(id) : undefined;
    if (!ws)
      throw new HesAdminError(HesAdminErrorCode.WorkstationNotFound, 'workstation not found');
    return ws;
  }

  private workstationSummary(ws: WorkstationRecord): WorkstationSummary {
    return { ...ws, isOnline: this.notifier.online().includes(ws.id) };
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
    const code = newActivationCode();
    const time = this.now().toISOString();
    this.store.transaction(() => {
      writeVault(
        this.store,
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
      this.store.activations.create(vault.id, code, time);
    });
    return { activationCode: code };
  }

  /** If this is the employee's only vault, their accounts are soft-deleted (A2, A5). */
  private dropEmployeeAccountsIfLastVault(vault: VaultRecord, clearPrimary = true): void {
    if (vault.employeeId === null) return;
    if (this.store.vaults.byEmployee(vault.employeeId).length !== 1) return;
    // A5 quirk kept: Compromise leaves PrimaryAccountId set.
    if (clearPrimary) this.store.employees.clearPrimaryAccount(vault.employeeId);
    this.store.accounts.softDeleteForEmployee(vault.employeeId);
  }
}

export interface LicenseSummary {
  readonly id: string;
  readonly vaultId: string;
  readonly endDate: string | null;
  readonly appliedAt: string | null;
}

const licenseDto = (l: LicenseRecord): HwVaultLicenseDto => ({
  id: l.id,
  deviceId: l.vaultId,
  licenseOrderId: l.licenseOrderId,
  importedAt: l.importedAt,
  appliedAt: l.appliedAt,
  endDate: l.endDate,
  data: Buffer.from(l.data ?? new Uint8Array(0)).toString('base64'),
});

/** The later of two end dates; an open-ended licence (null) is not a date to compare. */
function laterEnd(current: string | null, next: string | null): string | null {
  if (next === null) return current;
  if (current === null) return next;
  return Date.parse(next) > Date.parse(current) ? next : current;
}

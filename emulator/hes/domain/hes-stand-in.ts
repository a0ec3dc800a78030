// The HES stand-in's domain (contract-issue4 "R1 ↔ R2"): admin actions (hes-contract.md §2.1)
// and the AppHub methods (§4.4) over the SQLite store, with vault commands run through a
// VaultRelay and pushes to workstations through a WorkstationNotifier. This class is the one
// face the hubs, the REST routes and the tests use; each area lives in its own module (vault
// actions, people, licences, AppHub methods, remote sessions). Quirks are listed in README.md.
import type {
  HesResponse,
  HwVaultInfoFromClientDto,
  HwVaultInfoFromHesDto,
  HwVaultLicenseDto,
  HwVaultShortInfoFromHesDto,
  WorkstationInfoDto,
} from '../../../shared/hes/dto';
import type { VaultStatusReason } from '../../../shared/vault/vault-status';
import { TEST_VENDOR_PUBLIC_KEY } from '../../../device/key3/crypto/vendor-keys';
import type { HesStore } from '../store/hes-store';
import { AdminPeople, type EmployeeSummary, type WorkstationSummary } from './admin-people';
import {
  AdminVaults,
  type ActivationCodeResult,
  type ImportRecord,
  type ImportResult,
  type VaultStatusReport,
  type VaultSummary,
} from './admin-vaults';
import { AppHubMethods } from './app-hub-methods';
import { RemoteMethods } from './remote-methods';
import type { DomainContext } from './domain-context';
import { Licenses, type LicenseSummary } from './licenses';
import type { VaultRelay, WorkstationNotifier } from './ports';
import { VaultSessions } from './vault-sessions';

export type {
  ActivationCodeResult,
  EmployeeSummary,
  ImportRecord,
  ImportResult,
  LicenseSummary,
  VaultStatusReport,
  VaultSummary,
  WorkstationSummary,
};
export type { StatusHistoryEntry } from './admin-vaults';

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

export class HesStandIn {
  private readonly vaults: AdminVaults;
  private readonly people: AdminPeople;
  private readonly licences: Licenses;
  private readonly hub: AppHubMethods;
  private readonly remote: RemoteMethods;

  constructor(options: HesStandInOptions) {
    const now = options.now ?? (() => new Date());
    const ctx: DomainContext = {
      store: options.store,
      notifier: options.notifier,
      now,
      sessions: new VaultSessions(
        options.store,
        options.relay,
        options.key3VendorPublicKey ?? TEST_VENDOR_PUBLIC_KEY,
        now,
      ),
    };
    this.vaults = new AdminVaults(ctx);
    this.people = new AdminPeople(ctx);
    this.licences = new Licenses(ctx);
    this.hub = new AppHubMethods(ctx);
    this.remote = new RemoteMethods(ctx);
  }

  // ---- admin ----------------------------------------------------------------

  addLicense(
    vaultId: string,
    options?: { readonly endDate?: string | null; readonly data?: Uint8Array },
  ): LicenseSummary {
    return this.licences.add(vaultId, options);
  }
  licenses(vaultId: string): LicenseSummary[] {
    return this.licences.list(vaultId);
  }
  importVaults(input: readonly ImportRecord[]): ImportResult {
    return this.vaults.importVaults(input);
  }
  addEmployee(employee: { firstName: string; lastName: string; email?: string }): EmployeeSummary {
    return this.people.addEmployee(employee);
  }
  listEmployees(): EmployeeSummary[] {
    return this.people.listEmployees();
  }
  reserve(vaultId: string, employeeId: string): ActivationCodeResult {
    return this.vaults.reserve(vaultId, employeeId);
  }
  remove(vaultId: string, reason: VaultStatusReason): VaultStatusReport {
    return this.vaults.remove(vaultId, reason);
  }
  suspend(vaultId: string, description?: string): ActivationCodeResult {
    return this.vaults.suspend(vaultId, description);
  }
  activate(vaultId: string): ActivationCodeResult {
    return this.vaults.activate(vaultId);
  }
  compromise(vaultId: string, reason: VaultStatusReason, description?: string): VaultStatusReport {
    return this.vaults.compromise(vaultId, reason, description);
  }
  activationCode(vaultId: string): ActivationCodeResult {
    return this.vaults.activationCode(vaultId);
  }
  approveWorkstation(id: string, options?: { rfid?: boolean }): WorkstationSummary {
    return this.people.approveWorkstation(id, options);
  }
  unapproveWorkstation(id: string): WorkstationSummary {
    return this.people.unapproveWorkstation(id);
  }
  setAlarm(on: boolean): { alarm: boolean } {
    return this.people.setAlarm(on);
  }
  get alarm(): boolean {
    return this.people.alarm;
  }
  vaultStatus(vaultId: string): VaultStatusReport {
    return this.vaults.vaultStatus(vaultId);
  }
  listVaults(): VaultSummary[] {
    return this.vaults.listVaults();
  }
  listWorkstations(): WorkstationSummary[] {
    return this.people.listWorkstations();
  }

  // ---- AppHub ---------------------------------------------------------------

  registerWorkstationInfo(wsId: string | undefined, dto: WorkstationInfoDto): Promise<HesResponse> {
    return this.hub.registerWorkstationInfo(wsId, dto);
  }
  saveClientEvents(wsId: string | undefined, events: readonly unknown[]): Promise<HesResponse> {
    return this.hub.saveClientEvents(wsId, events);
  }
  getHwVaultInfoBySerialNo(
    wsId: string | undefined,
    serialNo: string,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return this.hub.getHwVaultInfoBySerialNo(wsId, serialNo);
  }
  getHwVaultInfoByMac(
    wsId: string | undefined,
    mac: string,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return this.hub.getHwVaultInfoByMac(wsId, mac);
  }
  getHwVaultInfoByRfid(
    wsId: string | undefined,
    rfid: string,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return this.hub.getHwVaultInfoByRfid(wsId, rfid);
  }
  updateHwVaultProperties(
    wsId: string | undefined,
    dto: HwVaultInfoFromClientDto,
    returnInfo: boolean,
  ): Promise<HesResponse<HwVaultInfoFromHesDto>> {
    return this.hub.updateHwVaultProperties(wsId, dto, returnInfo);
  }
  updateHwVaultStatus(
    wsId: string | undefined,
    dto: HwVaultInfoFromClientDto,
  ): Promise<HesResponse<HwVaultInfoFromHesDto>> {
    return this.remote.updateHwVaultStatus(wsId, dto);
  }
  authHwVault(wsId: string | undefined, serialNo: string): Promise<HesResponse> {
    return this.remote.authHwVault(wsId, serialNo);
  }
  updateHwVaultAccounts(
    wsId: string | undefined,
    serialNo: string,
    onlyOsAccounts: boolean,
  ): Promise<HesResponse> {
    return this.remote.updateHwVaultAccounts(wsId, serialNo, onlyOsAccounts);
  }
  getNewHwVaultLicenses(
    wsId: string | undefined,
    vaultId: string,
  ): Promise<HesResponse<HwVaultLicenseDto[]>> {
    return this.licences.getNew(wsId, vaultId);
  }
  hwVaultLicenseApplied(
    wsId: string | undefined,
    vaultId: string,
    licenseId: string,
  ): Promise<HesResponse> {
    return this.licences.applied(wsId, vaultId, licenseId);
  }
  getHwVaultLicenses(
    wsId: string | undefined,
    vaultId: string,
  ): Promise<HesResponse<HwVaultLicenseDto[]>> {
    return this.licences.getActive(wsId, vaultId);
  }
  workstationDisconnected(wsId: string): void {
    this.hub.workstationDisconnected(wsId);
  }
}

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
import { AdminListings } from './admin-listings';
import { AdminPeople, type EmployeeSummary, type NewEmployeeInput } from './admin-people';
import { Alarm } from './alarm';
import { HesEntities, type Entity } from './hes-entities';
import { LicenseStatusJob } from './license-status-job';
import { OrgStructure } from './org-structure';
import { Profiles, type ProfileInput } from './profiles';
import { Proximity } from './proximity';
import {
  WorkstationAdmin,
  type WorkstationSummary,
  type WorkstationUpdate,
} from './workstation-admin';
import type { AlarmStateRecord, EmployeeRecord } from '../store/records';
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
  AlarmStateRecord,
  EmployeeSummary,
  Entity,
  NewEmployeeInput,
  ProfileInput,
  WorkstationUpdate,
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
  /** HES's licence status job period (30 min; it also runs at start); 0: never runs by itself. */
  readonly licenseStatusIntervalMs?: number;
}

export class HesStandIn {
  private readonly vaults: AdminVaults;
  private readonly people: AdminPeople;
  private readonly licences: Licenses;
  private readonly hub: AppHubMethods;
  private readonly remote: RemoteMethods;
  private readonly workstations: WorkstationAdmin;
  private readonly alarms: Alarm;
  private readonly proximity: Proximity;
  private readonly org: OrgStructure;
  private readonly profiles: Profiles;
  private readonly listings: AdminListings;
  private readonly licenseJob: LicenseStatusJob;

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
    const entities = new HesEntities(ctx);
    this.vaults = new AdminVaults(ctx);
    this.people = new AdminPeople(ctx, entities);
    this.workstations = new WorkstationAdmin(ctx);
    this.alarms = new Alarm(ctx);
    this.proximity = new Proximity(ctx, entities);
    this.org = new OrgStructure(ctx, entities);
    this.profiles = new Profiles(ctx, entities);
    this.listings = new AdminListings(ctx, entities);
    this.licenseJob = new LicenseStatusJob(ctx);
    if (options.licenseStatusIntervalMs !== 0) {
      this.licenseJob.start(options.licenseStatusIntervalMs);
    }
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
  /** UI approve: pushes UpdateRFIDIndicatorState and WorkstationApproved (the demo's path). */
  approveWorkstation(
    id: string,
    options?: { rfid?: boolean; departmentId?: string | null },
  ): WorkstationSummary {
    return this.workstations.approve(id, options);
  }
  /** UI unapprove: pushes WorkstationUnapproved. */
  unapproveWorkstation(id: string): WorkstationSummary {
    return this.workstations.unapprove(id, true);
  }
  /** On: SetAlarmState(true) to every registered workstation; off: nothing if already off. */
  setAlarm(on: boolean, adminName?: string | null): { alarm: boolean } {
    const state = on ? this.alarms.lockAll(adminName) : this.alarms.unlockAll(adminName);
    return { alarm: state.isAlarm };
  }
  get alarm(): boolean {
    return this.alarms.state().isAlarm;
  }
  alarmState(): AlarmStateRecord {
    return this.alarms.state();
  }
  vaultStatus(vaultId: string): VaultStatusReport {
    return this.vaults.vaultStatus(vaultId);
  }
  listVaults(): VaultSummary[] {
    return this.vaults.listVaults();
  }
  listWorkstations(): WorkstationSummary[] {
    return this.workstations.list();
  }

  // ---- admin, as HES's REST routes do it -------------------------------------

  createEmployee(input: NewEmployeeInput): EmployeeRecord {
    return this.people.createEmployee(input);
  }
  createdEmployeeEntity(employee: EmployeeRecord): Entity {
    return this.people.createdEntity(employee);
  }
  employeeEntities(): Entity[] {
    return this.people.employeeEntities();
  }
  employeeEntity(id: string): Entity | undefined {
    return this.people.employeeEntity(id);
  }
  deleteEmployee(id: string): Entity | undefined {
    return this.people.deleteEmployee(id);
  }
  vaultEntities(): Entity[] {
    return this.listings.vaults();
  }
  vaultEntity(id: string): Entity | undefined {
    return this.listings.vault(id);
  }
  workstationEntities(): Entity[] {
    return this.listings.workstations();
  }
  workstationEntity(id: string): Entity | undefined {
    return this.listings.workstation(id);
  }
  auditEvents(): Entity[] {
    return this.listings.events();
  }
  auditSessions(): Entity[] {
    return this.listings.sessions();
  }
  /** REST approve: department (must exist), RFID, Approved; pushes only UpdateRFIDIndicatorState. */
  approveWorkstationByRest(id: string, update: WorkstationUpdate): void {
    this.workstations.approveByRest(id, update);
  }
  /** REST unapprove: no push. */
  unapproveWorkstationByRest(id: string): void {
    this.workstations.unapprove(id, false);
  }
  /** EditWorkstation: approved only; pushes UpdateRFIDIndicatorState. */
  editWorkstation(id: string, update: WorkstationUpdate): void {
    this.workstations.edit(id, update);
  }
  /** UI delete (no REST route in HES): with its events, sessions and pairs; pushes WorkstationUnapproved. */
  deleteWorkstation(id: string): void {
    this.workstations.delete(id);
  }
  addProximityVault(workstationId: string, vaultId: string): Entity {
    return this.proximity.add(workstationId, vaultId);
  }
  proximityVaults(workstationId: string): Entity[] {
    return this.proximity.list(workstationId);
  }
  proximityVault(pairId: string): Entity | undefined {
    return this.proximity.get(pairId);
  }
  deleteProximityVault(pairId: string): Entity | undefined {
    return this.proximity.delete(pairId);
  }
  setAccessProfile(vaultId: string, profileId: string): void {
    this.vaults.setAccessProfile(vaultId, profileId);
  }
  editVaultRfid(vaultId: string, rfid: string): void {
    this.vaults.editRfid(vaultId, rfid);
  }
  profileEntities(): Entity[] {
    return this.profiles.list();
  }
  profileEntity(id: string): Entity | undefined {
    return this.profiles.get(id);
  }
  createProfile(input: ProfileInput): Entity {
    return this.profiles.create(input);
  }
  editProfile(id: string, input: ProfileInput): void {
    this.profiles.edit(id, input);
  }
  deleteProfile(id: string): Entity | undefined {
    return this.profiles.delete(id);
  }
  createCompany(name: string): Entity {
    return this.org.createCompany(name);
  }
  createDepartment(companyId: string, name: string): Entity {
    return this.org.createDepartment(companyId, name);
  }
  companies(): Entity[] {
    return this.org.companies();
  }
  departments(): Entity[] {
    return this.org.departments();
  }
  department(id: string): Entity | undefined {
    return this.org.department(id);
  }
  /** One pass of HES's 30-minute licence status job; the vaults whose status changed. */
  updateLicenseStatuses(): string[] {
    return this.licenseJob.run();
  }
  /** Stops the licence status job's timer (it also stops by itself once the store is closed). */
  stopJobs(): void {
    this.licenseJob.stop();
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

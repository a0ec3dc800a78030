// HES's entities as its admin REST routes serialise them (Newtonsoft, camelCase names, enums
// as numbers, dates without an offset, a navigation HES's query does not include as null, and
// a navigation that would loop back left out, as ReferenceLoopHandling.Ignore does). Left out
// on purpose: a vault's masterPassword and a task's password / OTP secret (HES sends them; the
// stand-in never puts a secret in a listing).
import type { HesStore } from '../store/hes-store';
import type {
  CompanyRecord,
  DepartmentRecord,
  EmployeeRecord,
  ProfileEntityRecord,
  ProximityPairRecord,
  TaskRecord,
  VaultRecord,
  WorkstationEventRecord,
  WorkstationRecord,
  WorkstationSessionRecord,
} from '../store/records';
import type { DomainContext } from './domain-context';
import { dotNetDateTime } from './dotnet-dates';

export type Entity = Readonly<Record<string, unknown>>;

/** A stored session (its UnlockedBy may be any Int32 HES's Enum.TryParse gave). */
type SessionRow = Omit<WorkstationSessionRecord, 'unlockedBy'> & { readonly unlockedBy: number };

/** How deep a vault is shown, after the HES query that loads it. */
export interface VaultNav {
  /** The owner, with its department (`Include(d => d.Employee.Department.Company)`). */
  readonly employee?: boolean;
  readonly profile?: boolean;
  readonly tasks?: boolean;
  /** The vault hangs under its owner / profile: that navigation is a loop, left out. */
  readonly under?: 'employee' | 'profile';
}

/** A TimeSpan as .NET writes it: `[d.]hh:mm:ss[.fffffff]`. */
function timeSpan(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const days = Math.floor(total / 86_400_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hms = `${pad(Math.floor(total / 3_600_000) % 24)}:${pad(Math.floor(total / 60_000) % 60)}:${pad(Math.floor(total / 1000) % 60)}`;
  const fraction = total % 1000 === 0 ? '' : `.${String(total % 1000).padStart(3, '0')}0000`;
  return `${days > 0 ? `${days}.` : ''}${hms}${fraction}`;
}

export class HesEntities {
  constructor(private readonly ctx: DomainContext) {}

  private get store(): HesStore {
    return this.ctx.store;
  }

  company(c: CompanyRecord, withDepartments = false): Entity {
    return {
      id: c.id,
      name: c.name,
      departments: withDepartments
        ? this.store.org.departments(c.id).map((d) => this.department(d, false))
        : null,
    };
  }

  /** `withCompany` false: it hangs under its company (the loop is left out). */
  department(d: DepartmentRecord, withCompany = true): Entity {
    const company = this.store.org.company(d.companyId);
    return {
      id: d.id,
      name: d.name,
      companyId: d.companyId,
      ...(withCompany ? { company: company ? this.company(company) : null } : {}),
      employees: null,
      workstations: null,
      workstationEvents: null,
      workstationSessions: null,
    };
  }

  private departmentOf(id: string | null): Entity | null {
    const d = id === null ? undefined : this.store.org.department(id);
    return d ? this.department(d) : null;
  }

  employee(e: EmployeeRecord, nav: { department?: boolean; vaults?: boolean } = {}): Entity {
    const vaults = nav.vaults ? this.store.vaults.byEmployee(e.id) : null;
    return {
      id: e.id,
      firstName: e.firstName,
      lastName: e.lastName,
      email: e.email,
      phoneNumber: e.phoneNumber,
      departmentId: e.departmentId,
      positionId: null,
      lastSeen: dotNetDateTime(e.lastSeen),
      whenChanged: null,
      primaryAccountId: e.primaryAccountId,
      activeDirectoryGuid: null,
      externalId: null,
      accounts: null,
      hardwareVaults: vaults?.map((v) => this.vault(v, { under: 'employee' })) ?? null,
      groupMemberships: null,
      softwareVaults: nav.vaults ? [] : null,
      softwareVaultInvitations: null,
      workstationEvents: null,
      workstationSessions: null,
      department: nav.department ? this.departmentOf(e.departmentId) : null,
      position: null,
      fullName: `${e.firstName} ${e.lastName}`.trim(),
      vaultsCount: vaults?.length ?? 0,
    };
  }

  vault(v: VaultRecord, nav: VaultNav = {}): Entity {
    const { store } = this;
    const owner =
      nav.employee && v.employeeId !== null ? store.employees.get(v.employeeId) : undefined;
    const profile = nav.profile ? store.profileAdmin.get(v.profileId) : undefined;
    return {
      id: v.id,
      mac: v.mac,
      model: v.model,
      rfid: v.rfid,
      battery: v.battery,
      firmware: v.firmware,
      status: v.status,
      statusReason: v.statusReason,
      statusDescription: v.statusDescription,
      lastSynced: dotNetDateTime(v.lastSynced),
      needSync: v.needSync,
      employeeId: v.employeeId,
      hardwareVaultProfileId: v.profileId,
      importedAt: dotNetDateTime(v.importedAt),
      timestamp: v.timestamp,
      hasNewLicense: v.hasNewLicense,
      isStatusApplied: v.isStatusApplied,
      hardwareVaultTasks: nav.tasks ? store.tasks.forVault(v.id).map((t) => this.task(t)) : null,
      licenseStatus: v.licenseStatus,
      licenseEndDate: dotNetDateTime(v.licenseEndDate),
      ...(nav.under === 'employee'
        ? {}
        : { employee: owner ? this.employee(owner, { department: true }) : null }),
      ...(nav.under === 'profile'
        ? {}
        : { hardwareVaultProfile: profile ? this.profile(profile) : null }),
      isOnline: this.ctx.sessions.connectedVia(v.id).length > 0,
      checked: false,
    };
  }

  /** Without the task's password and OTP secret (secrets). */
  task(t: TaskRecord): Entity {
    return {
      id: t.id,
      operation: t.operation,
      createdAt: dotNetDateTime(t.createdAt),
      timestamp: t.timestamp,
      hardwareVaultId: t.vaultId,
      accountId: t.accountId,
      account: null,
    };
  }

  profile(p: ProfileEntityRecord, withVaults = false): Entity {
    const minutes = Math.trunc(p.pinExpiration / 60);
    return {
      id: p.id,
      name: p.name,
      createdAt: dotNetDateTime(p.createdAt),
      updatedAt: dotNetDateTime(p.updatedAt),
      hardwareVaults: withVaults
        ? this.store.profileAdmin
            .vaultIds(p.id)
            .flatMap((id) => this.store.vaults.get(id) ?? [])
            .map((v) => this.vault(v, { under: 'profile' }))
        : null,
      buttonPairing: p.buttonPairing,
      buttonConnection: p.buttonConnection,
      buttonStorageAccess: p.buttonStorageAccess,
      pinPairing: p.pinPairing,
      pinConnection: p.pinConnection,
      pinStorageAccess: p.pinStorageAccess,
      masterKeyPairing: p.masterKeyPairing,
      masterKeyConnection: p.masterKeyConnection,
      masterKeyStorageAccess: p.masterKeyStorageAccess,
      pinExpiration: p.pinExpiration,
      pinLength: p.pinLength,
      pinTryCount: p.pinTryCount,
      pinExpirationConverted: minutes <= 59 ? minutes : Math.trunc(minutes / 60) + 59,
      pinExpirationString: minutes <= 59 ? `${minutes} min` : `${Math.trunc(minutes / 60)} hrs`,
    };
  }

  workstation(w: WorkstationRecord, nav: { department?: boolean; pairs?: boolean } = {}): Entity {
    return {
      id: w.id,
      name: w.name,
      domain: w.domain,
      clientVersion: w.clientVersion,
      departmentId: w.departmentId,
      os: w.os,
      ip: w.ip,
      lastSeen: dotNetDateTime(w.lastSeen),
      approved: w.approved,
      rfid: w.rfid,
      workstationProximityVaults: nav.pairs
        ? this.store.proximity.forWorkstation(w.id).map((p) => this.pair(p, { under: true }))
        : null,
      workstationEvents: null,
      workstationSessions: null,
      department: nav.department ? this.departmentOf(w.departmentId) : null,
      isOnline: this.ctx.notifier.online().includes(w.id),
    };
  }

  /** `under`: listed under its workstation (the loop is left out). */
  pair(
    p: ProximityPairRecord,
    nav: { vault?: boolean; workstation?: boolean; under?: boolean },
  ): Entity {
    const vault = nav.vault && p.vaultId !== null ? this.store.vaults.get(p.vaultId) : undefined;
    const ws =
      nav.workstation && p.workstationId !== null
        ? this.store.workstations.get(p.workstationId)
        : undefined;
    return {
      id: p.id,
      hardwareVaultId: p.vaultId,
      workstationId: p.workstationId,
      lockProximity: p.lockProximity,
      unlockProximity: p.unlockProximity,
      lockTimeout: p.lockTimeout,
      hardwareVault: vault ? this.vault(vault, { employee: true }) : null,
      ...(nav.under ? {} : { workstation: ws ? this.workstation(ws, { department: true }) : null }),
    };
  }

  /** An audit row with the navigations HES's audit queries include. */
  private auditLinks(r: WorkstationEventRecord | SessionRow): Entity {
    const { store } = this;
    const ws = store.workstations.get(r.workstationId);
    const vault = r.hardwareVaultId === null ? undefined : store.vaults.get(r.hardwareVaultId);
    const employee = r.employeeId === null ? undefined : store.employees.get(r.employeeId);
    return {
      workstationId: r.workstationId,
      userSession: r.userSession,
      hardwareVaultId: r.hardwareVaultId,
      employeeId: r.employeeId,
      departmentId: r.departmentId,
      accountId: r.accountId,
      workstation: ws ? this.workstation(ws) : null,
      hardwareVault: vault ? this.vault(vault) : null,
      employee: employee ? this.employee(employee) : null,
      department: this.departmentOf(r.departmentId),
      account: null,
    };
  }

  event(e: WorkstationEventRecord): Entity {
    return {
      id: e.id,
      date: dotNetDateTime(e.date),
      eventId: e.eventId,
      severityId: e.severityId,
      note: e.note,
      ...this.auditLinks(e),
    };
  }

  session(s: SessionRow): Entity {
    const end = s.endDate === null ? this.ctx.now().getTime() : Date.parse(s.endDate);
    return {
      id: s.id,
      startDate: dotNetDateTime(s.startDate),
      endDate: dotNetDateTime(s.endDate),
      unlockedBy: s.unlockedBy,
      ...this.auditLinks(s),
      duration: timeSpan(end - Date.parse(s.startDate)),
    };
  }
}

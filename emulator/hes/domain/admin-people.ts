// The administrator's employees (HES's EmployeeService / EmployeesController): create (a first
// and last name unique together, an e-mail, phone and department that must exist), list,
// look up and delete. Workstations, the alarm and the org structure have their own modules.
import type { EmployeeRecord } from '../store/records';
import { invalid, isNonEmptyString, type DomainContext } from './domain-context';
import type { Entity, HesEntities } from './hes-entities';
import { HesAdminError, HesAdminErrorCode } from './hes-admin-error';
import { DB_UPDATE_FAILED, HES_EXCEPTION_TEXT } from './hes-texts';

export interface EmployeeSummary {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
}

/** HES's CreateEmployeeDto (REST) or the stand-in's own callers. */
export interface NewEmployeeInput {
  readonly firstName: string;
  readonly lastName: string;
  readonly email?: string | null;
  readonly phoneNumber?: string | null;
  readonly departmentId?: string | null;
  /** Positions are not modelled: any id fails as HES's foreign key would on an unknown one. */
  readonly positionId?: string | null;
}

const optionalText = (value: unknown, what: string): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(what);
  return value;
};

export class AdminPeople {
  constructor(
    private readonly ctx: DomainContext,
    private readonly entities: HesEntities,
  ) {}

  /** `ES.CreateEmployeeAsync`: EmployeeAlreadyExist for a taken name; a missing department fails. */
  createEmployee(input: NewEmployeeInput): EmployeeRecord {
    const { firstName, lastName } = input ?? {};
    if (!isNonEmptyString(firstName) || typeof lastName !== 'string') {
      throw invalid('employee name');
    }
    const email = optionalText(input.email, 'employee e-mail');
    const phoneNumber = optionalText(input.phoneNumber, 'employee phone number');
    const departmentId = optionalText(input.departmentId, 'department id');
    const positionId = optionalText(input.positionId, 'position id');
    const { store } = this.ctx;
    if (store.employees.byName(firstName, lastName)) {
      throw new HesAdminError(
        HesAdminErrorCode.EmployeeAlreadyExists,
        HES_EXCEPTION_TEXT.EmployeeAlreadyExist,
      );
    }
    if (positionId !== null || (departmentId !== null && !store.org.department(departmentId))) {
      throw new HesAdminError(HesAdminErrorCode.DatabaseUpdateFailed, DB_UPDATE_FAILED);
    }
    return store.employees.insert({ firstName, lastName, email, phoneNumber, departmentId });
  }

  /** The stand-in's own callers (tests, demo): first and last name required, an optional e-mail. */
  addEmployee(employee: { firstName: string; lastName: string; email?: string }): EmployeeSummary {
    const { firstName, lastName } = employee ?? {};
    if (!isNonEmptyString(lastName)) throw invalid('employee name');
    const e = this.createEmployee({ firstName, lastName, email: employee.email ?? null });
    return { id: e.id, firstName: e.firstName, lastName: e.lastName, email: e.email };
  }

  listEmployees(): EmployeeSummary[] {
    return this.ctx.store.employees
      .list()
      .map((e) => ({ id: e.id, firstName: e.firstName, lastName: e.lastName, email: e.email }));
  }

  /** `GetEmployees`: by full name, with department and vaults. */
  employeeEntities(): Entity[] {
    return this.ctx.store.employees
      .list()
      .sort((a, b) => fullName(a).localeCompare(fullName(b)))
      .map((e) => this.entities.employee(e, { department: true, vaults: true }));
  }

  /** `GetEmployeeById`; undefined: 404. */
  employeeEntity(id: string): Entity | undefined {
    const e = this.ctx.store.employees.get(id);
    return e ? this.entities.employee(e, { department: true, vaults: true }) : undefined;
  }

  /**
   * `DeleteEmployee` (`ES.DeleteEmployeeAsync`): refused while any vault references the
   * employee (Reserved, Active, Locked or Suspended: remove and compromise clear the link);
   * else the employee goes with its accounts, events and sessions. The employee as it was;
   * undefined: no such employee (404).
   */
  deleteEmployee(id: string): Entity | undefined {
    const { store } = this.ctx;
    const e = store.employees.get(id);
    if (!e) return undefined;
    const shown = this.entities.employee(e, { department: true, vaults: true });
    if (store.vaults.byEmployee(id).length > 0) {
      throw new HesAdminError(
        HesAdminErrorCode.HardwareVaultUntieBeforeRemove,
        HES_EXCEPTION_TEXT.HardwareVaultUntieBeforeRemove,
      );
    }
    store.transaction(() => store.employees.delete(id));
    return shown;
  }

  /** The created employee as HES's CreateEmployee answers it (no navigation loaded). */
  createdEntity(e: EmployeeRecord): Entity {
    return this.entities.employee(e);
  }
}

const fullName = (e: EmployeeRecord): string => `${e.firstName} ${e.lastName}`.trim();

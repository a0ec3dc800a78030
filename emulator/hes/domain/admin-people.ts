// The administrator's people and workstations: employees, workstation approval (with the
// pushes HES sends to a live workstation), the global alarm, and the workstation list.
import type { WorkstationRecord } from '../store/records';
import { adminWorkstation, invalid, isNonEmptyString, type DomainContext } from './domain-context';
import { HesAdminError, HesAdminErrorCode } from './hes-admin-error';

export interface EmployeeSummary {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
}

export interface WorkstationSummary extends WorkstationRecord {
  readonly isOnline: boolean;
}

export class AdminPeople {
  constructor(private readonly ctx: DomainContext) {}

  addEmployee(employee: { firstName: string; lastName: string; email?: string }): EmployeeSummary {
    const { firstName, lastName, email } = employee ?? {};
    if (!isNonEmptyString(firstName) || !isNonEmptyString(lastName)) throw invalid('employee name');
    if (email !== undefined && typeof email !== 'string') throw invalid('employee e-mail');
    const { store } = this.ctx;
    if (store.employees.byName(firstName, lastName)) {
      throw new HesAdminError(
        HesAdminErrorCode.EmployeeAlreadyExists,
        'an employee with this name exists',
      );
    }
    const e = store.employees.insert({ firstName, lastName, email: email ?? null });
    return { id: e.id, firstName: e.firstName, lastName: e.lastName, email: e.email };
  }

  listEmployees(): EmployeeSummary[] {
    return this.ctx.store.employees
      .list()
      .map((e) => ({ id: e.id, firstName: e.firstName, lastName: e.lastName, email: e.email }));
  }

  /** Approve (UI path): pushes UpdateRFIDIndicatorState(rfid) and WorkstationApproved(). */
  approveWorkstation(id: string, options: { rfid?: boolean } = {}): WorkstationSummary {
    const { store, notifier } = this.ctx;
    const ws = adminWorkstation(store, id);
    const rfid = options.rfid ?? false;
    if (typeof rfid !== 'boolean') throw invalid('rfid flag');
    store.workstations.setApproval(ws.id, true, rfid);
    notifier.send(ws.id, 'UpdateRFIDIndicatorState', rfid);
    notifier.send(ws.id, 'WorkstationApproved');
    return this.summary(adminWorkstation(store, ws.id));
  }

  /** Unapprove: Approved=false, RFID=false, no department; pushes WorkstationUnapproved(). */
  unapproveWorkstation(id: string): WorkstationSummary {
    const { store, notifier } = this.ctx;
    const ws = adminWorkstation(store, id);
    store.workstations.setApproval(ws.id, false, false);
    notifier.send(ws.id, 'WorkstationUnapproved');
    return this.summary(adminWorkstation(store, ws.id));
  }

  /** The global alarm: kept across restarts, pushed to every online workstation. */
  setAlarm(on: boolean): { alarm: boolean } {
    if (typeof on !== 'boolean') throw invalid('alarm state');
    this.ctx.store.settings.setAlarm(on);
    for (const ws of this.ctx.notifier.online()) this.ctx.notifier.send(ws, 'SetAlarmState', on);
    return { alarm: on };
  }

  get alarm(): boolean {
    return this.ctx.store.settings.alarm();
  }

  listWorkstations(): WorkstationSummary[] {
    return this.ctx.store.workstations.list().map((ws) => this.summary(ws));
  }

  private summary(ws: WorkstationRecord): WorkstationSummary {
    return { ...ws, isOnline: this.ctx.notifier.online().includes(ws.id) };
  }
}

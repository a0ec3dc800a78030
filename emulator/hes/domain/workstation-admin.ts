// The administrator's workstation actions (HES's WorkstationsController and its Blazor pages).
// Two paths, as in HES: the REST routes push only UpdateRFIDIndicatorState (approve, edit) or
// nothing (unapprove); the UI pages also push WorkstationApproved / WorkstationUnapproved
// (approve; unapprove and delete). The stand-in's own callers (the demo, the CLI's extra
// routes, tests) use the UI path. A department must exist, as HES's foreign key demands.
import type { WorkstationRecord } from '../store/records';
import type { WorkstationSettings } from '../store/workstation-repository';
import { adminWorkstation, invalid, type DomainContext } from './domain-context';
import { HesAdminError, HesAdminErrorCode } from './hes-admin-error';
import { DB_UPDATE_FAILED, HES_EXCEPTION_TEXT, NULL_REFERENCE } from './hes-texts';

export interface WorkstationSummary extends WorkstationRecord {
  readonly isOnline: boolean;
}

/** What HES's UpdateWorkstationDto carries (REST approve and edit). */
export interface WorkstationUpdate {
  readonly departmentId: string | null;
  readonly rfidEnabled: boolean;
}

const nullReference = (): HesAdminError =>
  new HesAdminError(HesAdminErrorCode.WorkstationNotFound, NULL_REFERENCE);

export class WorkstationAdmin {
  constructor(private readonly ctx: DomainContext) {}

  /** UI approve (`ApproveWorkstation.razor`): pushes UpdateRFIDIndicatorState and WorkstationApproved. */
  approve(
    id: string,
    options: { rfid?: boolean; departmentId?: string | null } = {},
  ): WorkstationSummary {
    const { store, notifier } = this.ctx;
    const ws = adminWorkstation(store, id);
    const rfid = options.rfid ?? false;
    if (typeof rfid !== 'boolean') throw invalid('rfid flag');
    this.write(ws.id, { departmentId: options.departmentId ?? null, rfid }, 'approve');
    notifier.send(ws.id, 'UpdateRFIDIndicatorState', rfid);
    notifier.send(ws.id, 'WorkstationApproved');
    return this.summary(ws.id);
  }

  /** REST `ApproveWorkstation/{id}`: department, RFID, Approved; pushes only the RFID state. */
  approveByRest(id: string, update: WorkstationUpdate): void {
    const ws = this.ctx.store.workstations.get(id);
    if (!ws) throw nullReference();
    this.write(ws.id, { departmentId: update.departmentId, rfid: update.rfidEnabled }, 'approve');
    this.ctx.notifier.send(ws.id, 'UpdateRFIDIndicatorState', update.rfidEnabled);
  }

  /** REST `EditWorkstation/{id}` (and the UI edit): an approved workstation only; pushes the RFID state. */
  edit(id: string, update: WorkstationUpdate): void {
    const ws = this.ctx.store.workstations.get(id);
    if (!ws) throw nullReference();
    if (!ws.approved) {
      throw new HesAdminError(HesAdminErrorCode.WorkstationNotApproved, 'Workstation not approved');
    }
    this.write(ws.id, { departmentId: update.departmentId, rfid: update.rfidEnabled }, 'edit');
    this.ctx.notifier.send(ws.id, 'UpdateRFIDIndicatorState', update.rfidEnabled);
  }

  /** Unapprove: Approved=false, RFID=false, no department. `push`: the UI's WorkstationUnapproved. */
  unapprove(id: string, push: boolean): WorkstationSummary {
    const { store, notifier } = this.ctx;
    const ws = store.workstations.get(id);
    if (!ws) {
      throw new HesAdminError(
        HesAdminErrorCode.WorkstationNotFound,
        HES_EXCEPTION_TEXT.WorkstationNotFound,
      );
    }
    store.workstations.unapprove(ws.id);
    if (push) notifier.send(ws.id, 'WorkstationUnapproved');
    return this.summary(ws.id);
  }

  /** UI delete (`DeleteWorkstation.razor`; HES has no REST route): the row and its events,
   * sessions and proximity pairs go; pushes WorkstationUnapproved. */
  delete(id: string): void {
    const { store, notifier } = this.ctx;
    const ws = adminWorkstation(store, id);
    store.transaction(() => store.workstations.delete(ws.id));
    notifier.send(ws.id, 'WorkstationUnapproved');
  }

  list(): WorkstationSummary[] {
    return this.ctx.store.workstations.list().map((ws) => this.withOnline(ws));
  }

  private summary(id: string): WorkstationSummary {
    return this.withOnline(adminWorkstation(this.ctx.store, id));
  }

  private withOnline(ws: WorkstationRecord): WorkstationSummary {
    return { ...ws, isOnline: this.ctx.notifier.online().includes(ws.id) };
  }

  /** The write HES's EF would make; an unknown department fails as its foreign key does. */
  private write(id: string, settings: WorkstationSettings, kind: 'approve' | 'edit'): void {
    const { store } = this.ctx;
    if (settings.departmentId !== null && !store.org.department(settings.departmentId)) {
      throw new HesAdminError(HesAdminErrorCode.DatabaseUpdateFailed, DB_UPDATE_FAILED);
    }
    if (kind === 'approve') store.workstations.approve(id, settings);
    else store.workstations.edit(id, settings);
  }
}

// What HES's admin REST lists, as its entities (hes-entities.ts), in HES's order: vaults by id,
// audit events and sessions newest first; workstations as the database gives them (HES asks
// to sort them by a column its workstation query does not know).
import type { DomainContext } from './domain-context';
import type { Entity, HesEntities } from './hes-entities';

const time = (iso: string): number => Date.parse(iso) || 0;

export class AdminListings {
  constructor(
    private readonly ctx: DomainContext,
    private readonly entities: HesEntities,
  ) {}

  /** `GetHardwareVaults`: with owner (and department) and profile; no tasks. */
  vaults(): Entity[] {
    return this.ctx.store.vaults
      .list()
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((v) => this.entities.vault(v, { employee: true, profile: true }));
  }

  /** `GetHardwareVaultById`: also its tasks; undefined: 404. */
  vault(id: string): Entity | undefined {
    const v = this.ctx.store.vaults.get(id);
    return v ? this.entities.vault(v, { employee: true, profile: true, tasks: true }) : undefined;
  }

  /** `GetWorkstations`: with department and proximity vaults. */
  workstations(): Entity[] {
    return this.ctx.store.workstations
      .list()
      .map((w) => this.entities.workstation(w, { department: true, pairs: true }));
  }

  /** `GetWorkstationById`: with department; undefined: 404. */
  workstation(id: string): Entity | undefined {
    const w = this.ctx.store.workstations.get(id);
    return w ? this.entities.workstation(w, { department: true }) : undefined;
  }

  /** `api/Audit/GetEvents`: newest first. */
  events(): Entity[] {
    return this.ctx.store.events
      .list()
      .sort((a, b) => time(b.date) - time(a.date))
      .map((e) => this.entities.event(e));
  }

  /** `api/Audit/GetSessions`: newest first. */
  sessions(): Entity[] {
    return this.ctx.store.sessions
      .list()
      .sort((a, b) => time(b.startDate) - time(a.startDate))
      .map((s) => this.entities.session(s));
  }
}

// Companies and departments (HES's OrgStructureService), as far as approving a workstation or
// creating an employee needs them: HES's REST approve requires a department that exists.
import type { DomainContext } from './domain-context';
import type { Entity, HesEntities } from './hes-entities';
import { HesAdminError, HesAdminErrorCode } from './hes-admin-error';
import { DB_UPDATE_FAILED, HES_EXCEPTION_TEXT } from './hes-texts';

export class OrgStructure {
  constructor(
    private readonly ctx: DomainContext,
    private readonly entities: HesEntities,
  ) {}

  /** `CreateCompanyAsync`: the name must be free (CompanyNameAlreadyInUse). */
  createCompany(name: string): Entity {
    const { org } = this.ctx.store;
    if (org.companyByName(name)) {
      throw new HesAdminError(
        HesAdminErrorCode.CompanyNameAlreadyInUse,
        HES_EXCEPTION_TEXT.CompanyNameAlreadyInUse,
      );
    }
    return this.entities.company(org.insertCompany(name));
  }

  /** `CreateDepartmentAsync`: the name must be free across companies; the company must exist. */
  createDepartment(companyId: string, name: string): Entity {
    const { org } = this.ctx.store;
    if (org.departmentByName(name)) {
      throw new HesAdminError(
        HesAdminErrorCode.DepartmentNameAlreadyInUse,
        HES_EXCEPTION_TEXT.DepartmentNameAlreadyInUse,
      );
    }
    if (!org.company(companyId)) {
      throw new HesAdminError(HesAdminErrorCode.DatabaseUpdateFailed, DB_UPDATE_FAILED);
    }
    return this.entities.department(org.insertDepartment({ companyId, name }), false);
  }

  companies(): Entity[] {
    return this.ctx.store.org.companies().map((c) => this.entities.company(c, true));
  }

  departments(): Entity[] {
    return this.ctx.store.org.departments().map((d) => this.entities.department(d));
  }

  /** undefined: 404. */
  department(id: string): Entity | undefined {
    const d = this.ctx.store.org.department(id);
    return d ? this.entities.department(d) : undefined;
  }
}

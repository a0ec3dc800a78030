// HES's AuditController (events and sessions, newest first) and the OrgStructureController
// routes a department needs (companies and departments: list, create, department by id).
import type { HesStandIn } from '../domain/hes-stand-in';
import { HesDto } from './hes-dto';
import { created, found, ok, param, type Route } from './route-types';

export function auditAndOrgRoutes(standIn: HesStandIn): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/Audit/GetEvents',
      hes: true,
      run: () => ok(standIn.auditEvents()),
    },
    {
      method: 'GET',
      path: '/api/Audit/GetSessions',
      hes: true,
      run: () => ok(standIn.auditSessions()),
    },
    {
      method: 'GET',
      path: '/api/OrgStructure/GetCompanies',
      hes: true,
      run: () => ok(standIn.companies()),
    },
    {
      method: 'POST',
      path: '/api/OrgStructure/CreateCompany',
      hes: true,
      run: ({ body }) => {
        const dto = new HesDto(
          body,
          'HES.Core.Models.API.OrgStructure.CreateOrgStructureGenericDto',
        );
        const name = dto.string('Name', true);
        dto.done();
        const company = standIn.createCompany(name);
        const id = encodeURIComponent(String(company['id']));
        return created(company, `/api/OrgStructure/GetCompanyById/${id}`);
      },
    },
    {
      method: 'GET',
      path: '/api/OrgStructure/GetDepartments',
      hes: true,
      run: () => ok(standIn.departments()),
    },
    {
      method: 'GET',
      path: '/api/OrgStructure/GetDepartmentById/{}',
      hes: true,
      run: (r) => found(standIn.department(param(r, 0))),
    },
    {
      method: 'POST',
      path: '/api/OrgStructure/CreateDepartment',
      hes: true,
      run: ({ body }) => {
        const dto = new HesDto(body, 'HES.Core.Models.API.OrgStructure.CreateDepartmentDto');
        const companyId = dto.string('CompanyId', true);
        const name = dto.string('Name', true);
        dto.done();
        const department = standIn.createDepartment(companyId, name);
        const id = encodeURIComponent(String(department['id']));
        return created(department, `/api/OrgStructure/GetDepartmentById/${id}`);
      },
    },
  ];
}

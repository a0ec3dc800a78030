// HES's EmployeesController routes the stand-in has: employees (create, list, by id, delete) and a
// vault's reserve / remove. Bodies are HES's DTOs; failures are HES's replies.
import { VaultStatusReason, isVaultStatusReason } from '../../../shared/vault/vault-status';
import type { HesStandIn } from '../domain/hes-stand-in';
import { HesDto } from './hes-dto';
import { validationProblem } from './hes-replies';
import { created, found, noContent, ok, param, type Route } from './route-types';

export function employeeRoutes(standIn: HesStandIn): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/Employees/GetEmployees',
      hes: true,
      run: () => ok(standIn.employeeEntities()),
    },
    {
      method: 'GET',
      path: '/api/Employees/GetEmployeeById/{}',
      hes: true,
      run: (r) => found(standIn.employeeEntity(param(r, 0))),
    },
    {
      method: 'POST',
      path: '/api/Employees/CreateEmployee',
      hes: true,
      run: ({ body }) => {
        const dto = new HesDto(body, 'HES.Core.Models.API.Employee.CreateEmployeeDto');
        const input = {
          firstName: dto.string('FirstName', true),
          lastName: dto.string('LastName', true),
          email: dto.string('Email'),
          phoneNumber: dto.string('PhoneNumber'),
          departmentId: dto.string('DepartmentId'),
          positionId: dto.string('PositionId'),
        };
        dto.done();
        const employee = standIn.createEmployee(input);
        return created(
          standIn.createdEmployeeEntity(employee),
          `/api/Employees/GetEmployeeById/${encodeURIComponent(employee.id)}`,
        );
      },
    },
    {
      method: 'DELETE',
      path: '/api/Employees/DeleteEmployee/{}',
      hes: true,
      run: (r) => found(standIn.deleteEmployee(param(r, 0))),
    },
    {
      method: 'POST',
      path: '/api/Employees/AddHardwareVault',
      hes: true,
      run: ({ body }) => {
        const dto = new HesDto(body, 'HES.Core.Models.API.Employee.AddHardwareVaultDto');
        const employeeId = dto.string('EmployeeId', true);
        const vaultId = dto.string('HardwareVaultId', true);
        dto.done();
        standIn.reserve(vaultId, employeeId);
        return noContent;
      },
    },
    {
      method: 'DELETE',
      path: '/api/Employees/RemoveHardwareVault',
      hes: true,
      run: ({ body }) => {
        const dto = new HesDto(body, 'HES.Core.Models.API.Employee.RemoveHardwareVaultDto');
        const vaultId = dto.string('HardwareVaultId', true);
        const reason = dto.enumValue('Reason', VaultStatusReason);
        dto.bool('IsNeedBackup');
        dto.done();
        // HES stores any number; the stand-in's status model knows only the defined reasons.
        if (!isVaultStatusReason(reason)) {
          throw validationProblem({
            reason: [`The stand-in keeps only the defined VaultStatusReason values (0-6).`],
          });
        }
        standIn.remove(vaultId, reason);
        return noContent;
      },
    },
  ];
}

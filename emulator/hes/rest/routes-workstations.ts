// HES's WorkstationsController routes: workstations (list, by id, approve, unapprove, edit), the
// alarm (LockAllWorkstations) and proximity vaults (list, by id, add, delete), with HES's DTOs,
// pushes and replies. HES has no REST route to delete a workstation (UI only).
import type { HesStandIn, WorkstationUpdate } from '../domain/hes-stand-in';
import { HesDto } from './hes-dto';
import {
  created,
  found,
  noContent,
  ok,
  param,
  samePathId,
  type Route,
  type RouteRequest,
} from './route-types';

/** UpdateWorkstationDto: {id, departmentId, rfidEnabled}, id and department [Required]. */
function workstationUpdate(r: RouteRequest): { id: string; update: WorkstationUpdate } {
  const dto = new HesDto(r.body, 'HES.Core.Models.API.UpdateWorkstationDto');
  const id = dto.string('Id', true);
  const departmentId = dto.string('DepartmentId', true);
  const rfidEnabled = dto.bool('RfidEnabled');
  dto.done();
  samePathId(r, id);
  return { id, update: { departmentId, rfidEnabled } };
}

export function workstationRoutes(standIn: HesStandIn): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/Workstations/GetWorkstations',
      hes: true,
      run: () => ok(standIn.workstationEntities()),
    },
    {
      method: 'GET',
      path: '/api/Workstations/GetWorkstationById/{}',
      hes: true,
      run: (r) => found(standIn.workstationEntity(param(r, 0))),
    },
    {
      method: 'PUT',
      path: '/api/Workstations/ApproveWorkstation/{}',
      hes: true,
      run: (r) => {
        const { id, update } = workstationUpdate(r);
        standIn.approveWorkstationByRest(id, update);
        return noContent;
      },
    },
    {
      method: 'PUT',
      path: '/api/Workstations/EditWorkstation/{}',
      hes: true,
      run: (r) => {
        const { id, update } = workstationUpdate(r);
        standIn.editWorkstation(id, update);
        return noContent;
      },
    },
    {
      method: 'PUT',
      path: '/api/Workstations/UnapproveWorkstation/{}',
      hes: true,
      run: (r) => {
        standIn.unapproveWorkstationByRest(param(r, 0));
        return noContent;
      },
    },
    {
      method: 'POST',
      path: '/api/Workstations/LockAllWorkstations',
      hes: true,
      run: ({ user }) => {
        // HES records the signed-in administrator's e-mail.
        standIn.setAlarm(true, user?.email ?? null);
        return ok(undefined);
      },
    },
    {
      method: 'GET',
      path: '/api/Workstations/GetProximityVaults/{}',
      hes: true,
      run: (r) => ok(standIn.proximityVaults(param(r, 0))),
    },
    {
      method: 'GET',
      path: '/api/Workstations/GetProximityVaultById/{}',
      hes: true,
      run: (r) => found(standIn.proximityVault(param(r, 0))),
    },
    {
      method: 'POST',
      path: '/api/Workstations/AddProximityVault',
      hes: true,
      run: ({ body }) => {
        const dto = new HesDto(body, 'HES.Core.Models.API.Workstation.AddProximityVaultDto');
        const workstationId = dto.string('WorkstationId', true);
        const vaultId = dto.string('HardwareVaultId', true);
        dto.done();
        const pair = standIn.addProximityVault(workstationId, vaultId);
        const id = encodeURIComponent(String(pair['id']));
        return created(pair, `/api/Workstations/GetProximityVaultById/${id}`);
      },
    },
    {
      method: 'POST',
      path: '/api/Workstations/DeleteProximityDevice/{}',
      hes: true,
      run: (r) => found(standIn.deleteProximityVault(param(r, 0))),
    },
  ];
}

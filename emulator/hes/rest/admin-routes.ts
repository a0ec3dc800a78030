// The admin REST routes (hes-contract.md §4.10): HES's own names and bodies where HES has the
// action, and extra endpoints under /api/standin/… for what HES offers only in its Blazor UI
// (import, suspend, activate, compromise, show the activation code, alarm off, status with
// history). Paths match case-insensitively, as ASP.NET routes do. No authentication: the
// server binds to 127.0.0.1 by default (HES requires an Administrator cookie).
import { VaultStatusReason } from '../../../shared/vault/vault-status';
import type { HesStandIn } from '../domain/hes-stand-in';
import { RestError, RestErrorCode } from './rest-error';
import { Body, importRecords } from './request-fields';

/** What a route answers: 204 without a body, otherwise the status and the JSON. */
export type RouteResult =
  { readonly status: 204 } | { readonly status: 200 | 201; readonly body: unknown };

export interface RouteRequest {
  /** Decoded path parameters, in order. */
  readonly params: readonly string[];
  /** The parsed JSON body (undefined when empty). */
  readonly body: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path segments; '{}' is a parameter. */
  readonly path: string;
  /** HES names this endpoint (false: a stand-in extra under /api/standin). */
  readonly hes: boolean;
  readonly run: (request: RouteRequest) => RouteResult;
}

const ok = (body: unknown): RouteResult => ({ status: 200, body });
const noContent: RouteResult = { status: 204 };

export function adminRoutes(standIn: HesStandIn): readonly Route[] {
  const param = (request: RouteRequest, index: number): string => request.params[index] ?? '';
  const vaultById = (id: string): unknown => {
    const vault = standIn.listVaults().find((v) => v.id === id);
    if (!vault) throw new RestError(404, 'HardwareVaultNotFound', 'hardware vault not found');
    return vault;
  };
  const workstationById = (id: string): unknown => {
    const ws = standIn.listWorkstations().find((w) => w.id === id);
    if (!ws) throw new RestError(404, 'WorkstationNotFound', 'workstation not found');
    return ws;
  };

  return [
    // ---- HES names (§4.10) ----------------------------------------------------
    {
      method: 'POST',
      path: '/api/Employees',
      hes: true,
      run: ({ body }) => {
        const b = new Body(body);
        const email = b.optionalString('email');
        const employee = standIn.addEmployee({
          firstName: b.string('firstName'),
          lastName: b.string('lastName'),
          ...(email !== undefined ? { email } : {}),
        });
        return { status: 201, body: employee };
      },
    },
    {
      method: 'GET',
      path: '/api/Employees/GetEmployees',
      hes: true,
      run: () => ok(standIn.listEmployees()),
    },
    {
      method: 'POST',
      path: '/api/Employees/AddHardwareVault',
      hes: true,
      run: ({ body }) => {
        const b = new Body(body);
        standIn.reserve(b.string('hardwareVaultId'), b.string('employeeId'));
        return noContent;
      },
    },
    {
      method: 'DELETE',
      path: '/api/Employees/RemoveHardwareVault',
      hes: true,
      run: ({ body }) => {
        const b = new Body(body);
        b.optionalBoolean('isNeedBackup');
        standIn.remove(
          b.string('hardwareVaultId'),
          b.reason('reason', [VaultStatusReason.Withdrawal, VaultStatusReason.Broken]),
        );
        return noContent;
      },
    },
    {
      method: 'GET',
      path: '/api/HardwareVaults/GetHardwareVaults',
      hes: true,
      run: () => ok(standIn.listVaults()),
    },
    {
      method: 'GET',
      path: '/api/HardwareVaults/GetHardwareVaultById/{}',
      hes: true,
      run: (r) => ok(vaultById(param(r, 0))),
    },
    {
      method: 'GET',
      path: '/api/Workstations/GetWorkstations',
      hes: true,
      run: () => ok(standIn.listWorkstations()),
    },
    {
      method: 'GET',
      path: '/api/Workstations/GetWorkstationById/{}',
      hes: true,
      run: (r) => ok(workstationById(param(r, 0))),
    },
    {
      method: 'PUT',
      path: '/api/Workstations/ApproveWorkstation/{}',
      hes: true,
      run: (r) => {
        // HES's body: {id, departmentId, rfidEnabled}; departments are not modelled.
        const rfid = new Body(r.body, true).optionalBoolean('rfidEnabled');
        standIn.approveWorkstation(param(r, 0), rfid !== undefined ? { rfid } : {});
        return noContent;
      },
    },
    {
      method: 'PUT',
      path: '/api/Workstations/UnapproveWorkstation/{}',
      hes: true,
      run: (r) => {
        standIn.unapproveWorkstation(param(r, 0));
        return noContent;
      },
    },
    {
      method: 'POST',
      path: '/api/Workstations/LockAllWorkstations',
      hes: true,
      run: () => {
        standIn.setAlarm(true);
        return noContent;
      },
    },
    // ---- stand-in extras: HES has these in its UI only ------------------------
    {
      method: 'POST',
      path: '/api/standin/HardwareVaults/Import',
      hes: false,
      run: ({ body }) => ok(standIn.importVaults(importRecords(body))),
    },
    {
      method: 'GET',
      path: '/api/standin/HardwareVaults',
      hes: false,
      run: () => ok(standIn.listVaults()),
    },
    {
      method: 'POST',
      path: '/api/standin/HardwareVaults/{}/Suspend',
      hes: false,
      run: (r) => {
        const description = new Body(r.body, true).optionalString('description');
        standIn.suspend(param(r, 0), description);
        return noContent;
      },
    },
    {
      method: 'POST',
      path: '/api/standin/HardwareVaults/{}/Activate',
      hes: false,
      run: (r) => {
        standIn.activate(param(r, 0));
        return noContent;
      },
    },
    {
      method: 'POST',
      path: '/api/standin/HardwareVaults/{}/Compromise',
      hes: false,
      run: (r) => {
        const b = new Body(r.body);
        standIn.compromise(
          param(r, 0),
          b.reason('reason', [VaultStatusReason.Lost, VaultStatusReason.Stolen]),
          b.optionalString('description'),
        );
        return noContent;
      },
    },
    {
      method: 'POST',
      path: '/api/standin/HardwareVaults/{}/Licenses',
      hes: false,
      run: (r) => {
        const endDate = new Body(r.body).optionalString('endDate');
        return ok(standIn.addLicense(param(r, 0), endDate !== undefined ? { endDate } : {}));
      },
    },
    {
      method: 'GET',
      path: '/api/standin/HardwareVaults/{}/Licenses',
      hes: false,
      run: (r) => ok(standIn.licenses(param(r, 0))),
    },
    {
      method: 'GET',
      path: '/api/standin/HardwareVaults/{}/ActivationCode',
      hes: false,
      run: (r) => ok(standIn.activationCode(param(r, 0))),
    },
    {
      method: 'GET',
      path: '/api/standin/HardwareVaults/{}/Status',
      hes: false,
      run: (r) => ok(standIn.vaultStatus(param(r, 0))),
    },
    {
      method: 'GET',
      path: '/api/standin/Workstations',
      hes: false,
      run: () => ok(standIn.listWorkstations()),
    },
    {
      method: 'POST',
      path: '/api/standin/Alarm/On',
      hes: false,
      run: () => {
        standIn.setAlarm(true);
        return noContent;
      },
    },
    {
      method: 'POST',
      path: '/api/standin/Alarm/Off',
      hes: false,
      run: () => {
        standIn.setAlarm(false);
        return noContent;
      },
    },
  ];
}

/** Matches a path against a route pattern; the decoded parameters, or undefined. */
export function matchPath(pattern: string, path: string): string[] | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w === '{}') {
      let value: string;
      try {
        value = decodeURIComponent(g);
      } catch {
        return undefined;
      }
      if (value === '') return undefined;
      params.push(value);
    } else if (w.toLowerCase() !== g.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

export const notFound = (): RestError =>
  new RestError(404, RestErrorCode.NotFound, 'No such endpoint');

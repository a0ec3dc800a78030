// The admin REST routes (hes-contract.md §4.10): HES's own names, bodies and replies where HES
// has the action (routes-employees, -vaults, -workstations, -audit-org), and extra endpoints
// under /api/standin/… for what HES offers only in its Blazor UI (routes-standin). Paths match
// case-insensitively, as ASP.NET routes do. No authentication yet: the server binds to
// 127.0.0.1 by default (HES requires an Administrator cookie).
import type { HesStandIn } from '../domain/hes-stand-in';
import { RestError, RestErrorCode } from './rest-error';
import { auditAndOrgRoutes } from './routes-audit-org';
import { employeeRoutes } from './routes-employees';
import { standInRoutes } from './routes-standin';
import { vaultRoutes } from './routes-vaults';
import { workstationRoutes } from './routes-workstations';
import type { Route } from './route-types';

export type { Route, RouteRequest, RouteResult } from './route-types';

export function adminRoutes(standIn: HesStandIn): readonly Route[] {
  return [
    ...employeeRoutes(standIn),
    ...vaultRoutes(standIn),
    ...workstationRoutes(standIn),
    ...auditAndOrgRoutes(standIn),
    ...standInRoutes(standIn),
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

// The stand-in's extra routes, under /api/standin/: what HES offers only in its Blazor UI
// (import, suspend, activate, compromise, show the code, approve / unapprove / delete a
// workstation with the UI's pushes, alarm off) or not at all (licences from no licensing
// server, status with history, the alarm state). Typed errors `{error: code, message}`.
import { VaultStatusReason } from '../../../shared/vault/vault-status';
import type { HesStandIn } from '../domain/hes-stand-in';
import { Body, importRecords } from './request-fields';
import { noContent, ok, param, type Route } from './route-types';

const VAULT = '/api/standin/HardwareVaults/{}';
const WORKSTATION = '/api/standin/Workstations/{}';

export function standInRoutes(standIn: HesStandIn): Route[] {
  const route = (method: Route['method'], path: string, run: Route['run']): Route => ({
    method,
    path,
    hes: false,
    run,
  });
  return [
    route('POST', '/api/standin/HardwareVaults/Import', ({ body }) =>
      ok(standIn.importVaults(importRecords(body))),
    ),
    route('GET', '/api/standin/HardwareVaults', () => ok(standIn.listVaults())),
    route('POST', `${VAULT}/Suspend`, (r) => {
      standIn.suspend(param(r, 0), new Body(r.body, true).optionalString('description'));
      return noContent;
    }),
    route('POST', `${VAULT}/Activate`, (r) => {
      standIn.activate(param(r, 0));
      return noContent;
    }),
    route('POST', `${VAULT}/Compromise`, (r) => {
      const b = new Body(r.body);
      standIn.compromise(
        param(r, 0),
        b.reason('reason', [VaultStatusReason.Lost, VaultStatusReason.Stolen]),
        b.optionalString('description'),
      );
      return noContent;
    }),
    route('POST', `${VAULT}/Licenses`, (r) => {
      const endDate = new Body(r.body, true).optionalString('endDate');
      return ok(standIn.addLicense(param(r, 0), endDate !== undefined ? { endDate } : {}));
    }),
    route('GET', `${VAULT}/Licenses`, (r) => ok(standIn.licenses(param(r, 0)))),
    route('GET', `${VAULT}/ActivationCode`, (r) => ok(standIn.activationCode(param(r, 0)))),
    route('GET', `${VAULT}/Status`, (r) => ok(standIn.vaultStatus(param(r, 0)))),
    route('GET', '/api/standin/Workstations', () => ok(standIn.listWorkstations())),
    route('POST', `${WORKSTATION}/Approve`, (r) => {
      const b = new Body(r.body, true);
      const rfid = b.optionalBoolean('rfidEnabled');
      const departmentId = b.optionalString('departmentId');
      return ok(
        standIn.approveWorkstation(param(r, 0), {
          ...(rfid !== undefined ? { rfid } : {}),
          ...(departmentId !== undefined ? { departmentId } : {}),
        }),
      );
    }),
    route('POST', `${WORKSTATION}/Unapprove`, (r) => ok(standIn.unapproveWorkstation(param(r, 0)))),
    route('DELETE', WORKSTATION, (r) => {
      standIn.deleteWorkstation(param(r, 0));
      return noContent;
    }),
    route('GET', '/api/standin/Alarm', () => ok(standIn.alarmState())),
    route('POST', '/api/standin/Alarm/On', ({ user }) => {
      standIn.setAlarm(true, user?.email ?? null);
      return noContent;
    }),
    route('POST', '/api/standin/Alarm/Off', ({ user }) => {
      standIn.setAlarm(false, user?.email ?? null);
      return noContent;
    }),
  ];
}

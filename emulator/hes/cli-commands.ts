// The admin commands of `npm run hes`: the options each takes and the REST call it makes. HES's
// own routes where HES has the action (employees, reserve/remove, RFID, profiles, departments,
// workstation edit, proximity vaults, the alarm, audit); the /api/standin extras for what HES
// does only in its UI (import, suspend, activate, compromise, the code, licences, status,
// approve/unapprove with the UI's pushes, workstation delete, alarm off).
import { readFile } from 'node:fs/promises';
import { VaultStatusReason } from '../../shared/vault/vault-status';
import { UsageError } from '../cli/usage-error';

export interface Call {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
}

export type Options = ReadonlyMap<string, string>;

export function required(options: Options, name: string): string {
  const value = options.get(name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function oneOf(options: Options, name: string, values: readonly string[]): string {
  const value = required(options, name).toLowerCase();
  if (!values.includes(value)) throw new UsageError(`--${name} must be ${values.join(' or ')}`);
  return value;
}

function flag(options: Options, name: string): boolean | undefined {
  return options.has(name) ? oneOf(options, name, ['true', 'false']) === 'true' : undefined;
}

const REASONS = Object.keys(VaultStatusReason).map((r) => r.toLowerCase());
const enc = encodeURIComponent;
const vaultPath = (o: Options, action: string): string =>
  `/api/standin/HardwareVaults/${enc(required(o, 'vault'))}/${action}`;
const workstationPath = (o: Options, action = ''): string =>
  `/api/standin/Workstations/${enc(required(o, 'workstation'))}${action}`;
/** Drops the options that were not given. */
const some = (body: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));

type Spec = {
  readonly options: readonly string[];
  readonly call: (o: Options) => Call | Promise<Call>;
};

/** `import`: the records file, as the body of the import route. */
async function readImport(o: Options): Promise<Call> {
  const file = required(o, 'file');
  let records: unknown;
  try {
    records = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (e) {
    const reason = e instanceof SyntaxError ? 'is not JSON' : 'cannot be read';
    throw new UsageError(`--file ${file} ${reason}`);
  }
  return { method: 'POST', path: '/api/standin/HardwareVaults/Import', body: records };
}

export const COMMANDS: Readonly<Record<string, Spec>> = {
  import: { options: ['file'], call: readImport },
  'employee-add': {
    options: ['first', 'last', 'email'],
    call: (o) => ({
      method: 'POST',
      path: '/api/Employees/CreateEmployee',
      body: some({
        firstName: required(o, 'first'),
        lastName: required(o, 'last'),
        email: o.get('email'),
      }),
    }),
  },
  reserve: {
    options: ['vault', 'employee'],
    call: (o) => ({
      method: 'POST',
      path: '/api/Employees/AddHardwareVault',
      body: { employeeId: required(o, 'employee'), hardwareVaultId: required(o, 'vault') },
    }),
  },
  remove: {
    options: ['vault', 'reason'],
    call: (o) => ({
      method: 'DELETE',
      path: '/api/Employees/RemoveHardwareVault',
      body: {
        hardwareVaultId: required(o, 'vault'),
        reason: oneOf(o, 'reason', REASONS),
        isNeedBackup: false,
      },
    }),
  },
  suspend: {
    options: ['vault', 'description'],
    call: (o) => ({
      method: 'POST',
      path: vaultPath(o, 'Suspend'),
      body: some({ description: o.get('description') }),
    }),
  },
  activate: {
    options: ['vault'],
    call: (o) => ({ method: 'POST', path: vaultPath(o, 'Activate') }),
  },
  compromise: {
    options: ['vault', 'reason', 'description'],
    call: (o) => ({
      method: 'POST',
      path: vaultPath(o, 'Compromise'),
      body: some({
        reason: oneOf(o, 'reason', ['lost', 'stolen']),
        description: o.get('description'),
      }),
    }),
  },
  code: {
    options: ['vault'],
    call: (o) => ({ method: 'GET', path: vaultPath(o, 'ActivationCode') }),
  },
  status: { options: ['vault'], call: (o) => ({ method: 'GET', path: vaultPath(o, 'Status') }) },
  'license-add': {
    options: ['vault', 'end'],
    call: (o) => ({
      method: 'POST',
      path: vaultPath(o, 'Licenses'),
      body: some({ endDate: o.get('end') }),
    }),
  },
  licenses: {
    options: ['vault'],
    call: (o) => ({ method: 'GET', path: vaultPath(o, 'Licenses') }),
  },
  rfid: {
    options: ['vault', 'rfid'],
    call: (o) => ({
      method: 'PUT',
      path: `/api/HardwareVaults/EditHardwareVaultRfid/${enc(required(o, 'vault'))}`,
      body: { id: required(o, 'vault'), rfid: required(o, 'rfid') },
    }),
  },
  profiles: {
    options: [],
    call: () => ({ method: 'GET', path: '/api/HardwareVaults/GetProfiles' }),
  },
  'profile-set': {
    options: ['vault', 'profile'],
    call: (o) => ({
      method: 'POST',
      path: '/api/HardwareVaults/SetAccessProfile',
      body: { hardwareVaultId: required(o, 'vault'), profileId: required(o, 'profile') },
    }),
  },
  'company-add': {
    options: ['name'],
    call: (o) => ({
      method: 'POST',
      path: '/api/OrgStructure/CreateCompany',
      body: { name: required(o, 'name') },
    }),
  },
  'department-add': {
    options: ['company', 'name'],
    call: (o) => ({
      method: 'POST',
      path: '/api/OrgStructure/CreateDepartment',
      body: { companyId: required(o, 'company'), name: required(o, 'name') },
    }),
  },
  approve: {
    options: ['workstation', 'rfid', 'department'],
    call: (o) => ({
      method: 'POST',
      path: workstationPath(o, '/Approve'),
      body: some({ rfidEnabled: flag(o, 'rfid'), departmentId: o.get('department') }),
    }),
  },
  unapprove: {
    options: ['workstation'],
    call: (o) => ({ method: 'POST', path: workstationPath(o, '/Unapprove') }),
  },
  'workstation-edit': {
    options: ['workstation', 'department', 'rfid'],
    call: (o) => ({
      method: 'PUT',
      path: `/api/Workstations/EditWorkstation/${enc(required(o, 'workstation'))}`,
      body: {
        id: required(o, 'workstation'),
        departmentId: required(o, 'department'),
        rfidEnabled: flag(o, 'rfid') ?? false,
      },
    }),
  },
  'workstation-delete': {
    options: ['workstation'],
    call: (o) => ({ method: 'DELETE', path: workstationPath(o) }),
  },
  'proximity-add': {
    options: ['workstation', 'vault'],
    call: (o) => ({
      method: 'POST',
      path: '/api/Workstations/AddProximityVault',
      body: { workstationId: required(o, 'workstation'), hardwareVaultId: required(o, 'vault') },
    }),
  },
  'proximity-list': {
    options: ['workstation'],
    call: (o) => ({
      method: 'GET',
      path: `/api/Workstations/GetProximityVaults/${enc(required(o, 'workstation'))}`,
    }),
  },
  'proximity-delete': {
    options: ['pair'],
    call: (o) => ({
      method: 'POST',
      path: `/api/Workstations/DeleteProximityDevice/${enc(required(o, 'pair'))}`,
    }),
  },
  'alarm-on': {
    options: [],
    call: () => ({ method: 'POST', path: '/api/Workstations/LockAllWorkstations' }),
  },
  'alarm-off': { options: [], call: () => ({ method: 'POST', path: '/api/standin/Alarm/Off' }) },
  events: { options: [], call: () => ({ method: 'GET', path: '/api/Audit/GetEvents' }) },
  sessions: { options: [], call: () => ({ method: 'GET', path: '/api/Audit/GetSessions' }) },
};

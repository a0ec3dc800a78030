// The world of the hub-call proofs: a started stand-in with the test's own connection to its
// SQLite file, one imported virtual key, and a workstation on the real @microsoft/signalr
// client (registered and approved unless asked otherwise). Helpers assert HES's exact answers.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { HesStandInServer } from '../../../../../emulator/hes/server';
import { HesStore } from '../../../../../emulator/hes/store/hes-store';
import type { ProvisioningRecord } from '../../../../../emulator/key/provision';
import { buildVaultDto } from '../../../../../main/hes/vault-dto';
import { HwVaultConnectionState, type HesResponse } from '../../../../../shared/hes/dto';
import type { UsbHost } from '../../../key/key-hosts';
import {
  closeWith,
  startServer,
  tempDir,
  TestWorkstation,
  virtualKeys,
} from '../../server/stand-in-hosts';

export interface HubWorld {
  readonly server: HesStandInServer;
  /** The test's own connection to the stand-in's database. */
  readonly db: HesStore;
  readonly ws: TestWorkstation;
  readonly serial: string;
  readonly record: ProvisioningRecord;
  readonly usb: UsbHost;
  /** The key's own report as the companion sends it, with members replaced or added. */
  dto(
    state?: HwVaultConnectionState,
    extra?: Readonly<Record<string, unknown>>,
  ): Promise<Record<string, unknown>>;
  /** Another workstation on its own connection (`undefined`: no WorkstationId header). */
  connect(id: string | undefined): Promise<TestWorkstation>;
}

export interface WorldOptions {
  /** The workstation's id (its header and its registration). */
  readonly id?: string;
  /** false: registered but not approved. */
  readonly approved?: boolean;
}

export async function hubWorld(options: WorldOptions = {}): Promise<HubWorld> {
  const dbFile = join(await tempDir('hes-hub-proof-'), 'hes.sqlite');
  const server = await startServer({ dbFile });
  const db = HesStore.open(dbFile);
  closeWith(() => db.close());
  const { keys, records } = await virtualKeys(1);
  const [key] = keys;
  const [record] = records;
  if (key === undefined || record === undefined) throw new Error('no virtual key');
  server.standIn.importVaults(records);
  const ws = await TestWorkstation.connect(server, options.id ?? 'ws-proof');
  ws.attach(key.usb, record.serialNo);
  expect((await ws.register()).code).toBe(604);
  if (options.approved !== false) server.standIn.approveWorkstation(ws.id);
  return {
    server,
    db,
    ws,
    serial: record.serialNo,
    record,
    usb: key.usb,
    dto: async (state = HwVaultConnectionState.Online, extra = {}) => ({
      ...buildVaultDto(await key.usb.info(), state),
      ...extra,
    }),
    connect: (id) => TestWorkstation.connect(server, id),
  };
}

/** The envelope of an error: code and exact message, no data. */
export const failure = (code: number, message: string): HesResponse => ({
  code,
  message,
  data: null,
});

export const NULL_REFERENCE = 'Object reference not set to an instance of an object.';
export const NO_WORKSTATION_ID = 'AppHub does not contain WorkstationId!';

/** ASP.NET's binding failure, as the client's HubException says it (detailed errors off). */
export async function expectBindingFailure(call: Promise<unknown>, method: string): Promise<void> {
  await expect(call, method).rejects.toThrow(
    new RegExp(`^Failed to invoke '${method}' due to an error on the server\\.$`),
  );
}

/** An exception thrown out of a hub method (not an envelope). */
export async function expectUnexpectedError(call: Promise<unknown>, method: string): Promise<void> {
  await expect(call, method).rejects.toThrow(
    new RegExp(`^An unexpected error occurred invoking '${method}' on the server\\.$`),
  );
}

/** An employee who owns the world's vault (Reserved, with a master key). */
export function reserveVault(world: HubWorld, firstName = 'Ann', lastName = 'Lee'): string {
  const employee = world.server.standIn.addEmployee({
    firstName,
    lastName,
    email: `${firstName.toLowerCase()}@corp.example`,
  });
  world.server.standIn.reserve(world.serial, employee.id);
  return employee.id;
}

/** HES's AppHub methods and their arities (the binder checks them exactly). */
export const APP_HUB_ARITIES: readonly (readonly [string, number])[] = [
  ['RegisterWorkstationInfo', 1],
  ['SaveClientEvents', 1],
  ['GetHwVaultInfoByRfid', 1],
  ['GetHwVaultInfoByMac', 1],
  ['GetHwVaultInfoBySerialNo', 1],
  ['UpdateHwVaultProperties', 2],
  ['UpdateHwVaultStatus', 1],
  ['AuthHwVault', 1],
  ['UpdateHwVaultAccounts', 2],
  ['GetNewHwVaultLicenses', 1],
  ['HwVaultLicenseApplied', 2],
  ['GetHwVaultLicenses', 1],
];

/** Every AppHub method once, about the world's vault, registering `registerAs`. */
export async function everyCall(
  world: HubWorld,
  registerAs: string,
): Promise<readonly (readonly [string, readonly unknown[]])[]> {
  const dto = await world.dto(HwVaultConnectionState.Online);
  const args: Record<string, readonly unknown[]> = {
    RegisterWorkstationInfo: [{ id: registerAs }],
    SaveClientEvents: [[]],
    GetHwVaultInfoByRfid: ['x'],
    GetHwVaultInfoByMac: ['x'],
    UpdateHwVaultProperties: [dto, true],
    UpdateHwVaultStatus: [dto],
    UpdateHwVaultAccounts: [world.serial, false],
    HwVaultLicenseApplied: [world.serial, randomUUID()],
  };
  return APP_HUB_ARITIES.map(([method]) => [method, args[method] ?? [world.serial]] as const);
}

/** Settles any pushes and invocations already on their way (one round trip). */
export const roundTrip = async (ws: TestWorkstation): Promise<void> => {
  await ws.invoke('GetHwVaultInfoBySerialNo', 'none');
};

// /appHub (hes-contract.md §4.4): the method table with HES's names and parameter types. The
// SignalR layer binds each argument as .NET does (a refused one fails the invocation); the
// method then runs in the domain with the workstation id of the `WorkstationId` header and
// answers the {code, message, data} envelope. As in HES's AppHub, a connection is bound to a
// workstation only by RegisterWorkstationInfo (under dto.id), never at connect.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { HwVaultConnectionState, type HesResponse } from '../../../shared/hes/dto';
import type { ClientVaultDto, ClientWorkstationInfo } from '../domain/vault-dto-reading';
import type { HubCaller, HubDefinition, HubMethodDefinition } from '../signalr/hub-definition';
import type { DeviceHubRelay } from '../relay/device-hub-relay';
import type { AppHubConnections } from './app-hub-connections';
import { responseForError } from './envelope';
import {
  booleanArgument,
  eventsArgument,
  stringArgument,
  vaultInfoArgument,
  workstationInfoArgument,
} from './hub-arguments';

type Reply = HesResponse<unknown> | Promise<HesResponse<unknown>>;
type WorkstationId = string | undefined;

/**
 * What the AppHub needs of the domain (HesStandIn, emulator/hes/domain): the methods with the
 * arguments as bound (a DTO or a string may be null) and the header's workstation id.
 */
export interface AppHubDomain {
  registerWorkstationInfo(workstationId: WorkstationId, dto: ClientWorkstationInfo | null): Reply;
  saveClientEvents(workstationId: WorkstationId, events: readonly unknown[] | null): Reply;
  getHwVaultInfoByRfid(workstationId: WorkstationId, rfid: string | null): Reply;
  getHwVaultInfoByMac(workstationId: WorkstationId, mac: string | null): Reply;
  getHwVaultInfoBySerialNo(workstationId: WorkstationId, serialNo: string | null): Reply;
  updateHwVaultProperties(
    workstationId: WorkstationId,
    dto: ClientVaultDto | null,
    returnInfo: boolean,
  ): Reply;
  updateHwVaultStatus(workstationId: WorkstationId, dto: ClientVaultDto | null): Reply;
  authHwVault(workstationId: WorkstationId, serialNo: string | null): Reply;
  updateHwVaultAccounts(
    workstationId: WorkstationId,
    serialNo: string | null,
    onlyOsAccounts: boolean,
  ): Reply;
  getNewHwVaultLicenses(workstationId: WorkstationId, vaultId: string | null): Reply;
  hwVaultLicenseApplied(
    workstationId: WorkstationId,
    vaultId: string | null,
    licenseId: string | null,
  ): Reply;
  getHwVaultLicenses(workstationId: WorkstationId, vaultId: string | null): Reply;
  workstationDisconnected(workstationId: string): unknown;
}

export interface AppHubOptions {
  readonly domain: AppHubDomain;
  readonly connections: AppHubConnections;
  readonly relay: DeviceHubRelay;
  /** Failures outside any reply (e.g. a disconnect clean-up); never given secrets. */
  readonly onError?: (e: unknown) => void;
}

/** .NET's char.IsWhiteSpace set: string.IsNullOrWhiteSpace treats such a header as missing. */
const BLANK = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** HES's AppHub.OnConnectedAsync keeps the header's id unless it is null or white space. */
export const workstationIdOf = (caller: HubCaller): string | undefined => {
  const id = caller.headers['workstationid'];
  return id === undefined || BLANK.test(id) ? undefined : id;
};

/** Runs a handler, turning anything it throws into the envelope (HES's catch blocks). */
async function answer(run: () => Reply): Promise<HesResponse<unknown>> {
  try {
    return await run();
  } catch (e) {
    return responseForError(e);
  }
}

/**
 * UpdateHwVaultProperties / UpdateHwVaultStatus with a null DTO: when the gate throws a
 * HideezException (604, 618), HES's catch block logs `dto.VaultSerialNo` and throws a
 * NullReferenceException out of the hub method, so the invocation itself fails.
 */
function failLikeHesCatchBlock(reply: HesResponse<unknown>, dto: ClientVaultDto | null): void {
  const hideez = reply.code !== HesErrorCode.Ok && reply.code !== HesErrorCode.NonHideezException;
  if (dto === null && hideez) throw new TypeError('HES: NullReferenceException in catch block');
}

/**
 * Whether HES got to UpdateHwVaultProperties' connection-state switch (for a caller with a
 * WorkstationId header): the gate passed, the DTO was there, its vault found and written (a
 * null firmware version fails the write). Errors after the switch come from the info.
 */
function reachedStateSwitch(
  reply: HesResponse<unknown>,
  dto: ClientVaultDto | null,
): dto is ClientVaultDto & { readonly vaultSerialNo: string } {
  const before: readonly number[] = [
    HesErrorCode.HesWorkstationNotApproved,
    HesErrorCode.HesAlarm,
    HesErrorCode.HesDeviceNotFound,
  ];
  return (
    dto !== null &&
    dto.vaultSerialNo !== null &&
    dto.firmwareVersion !== null &&
    !before.includes(reply.code)
  );
}

export function createAppHub(options: AppHubOptions): HubDefinition {
  const { domain, connections, relay } = options;
  const onError = options.onError ?? (() => undefined);

  /**
   * A method: its arguments bound first, then run with the header's workstation id; `settle`
   * sees the reply outside HES's catch blocks (what it throws fails the invocation).
   */
  const method = <A extends readonly unknown[]>(
    arity: number,
    bind: (args: readonly unknown[]) => A,
    run: (caller: HubCaller, workstationId: WorkstationId, args: A) => Reply,
    settle?: (
      caller: HubCaller,
      workstationId: WorkstationId,
      args: A,
      reply: HesResponse<unknown>,
    ) => void,
  ): HubMethodDefinition => ({
    arity,
    bind,
    handler: async (caller, args) => {
      const workstationId = workstationIdOf(caller);
      const reply = await answer(() => run(caller, workstationId, args as A));
      settle?.(caller, workstationId, args as A, reply);
      return reply;
    },
  });

  const serial = (name: string) => (args: readonly unknown[]) =>
    [stringArgument(args[0], name)] as const;

  const methods: Record<string, HubMethodDefinition> = {
    RegisterWorkstationInfo: method(
      1,
      (args) => [workstationInfoArgument(args[0])] as const,
      (caller, ws, [dto]) => {
        // HES stores the caller under dto.id first, so the registration's pushes (proximity,
        // RFID, alarm) reach it; a null DTO or id fails before that (see the domain).
        if (dto !== null && dto.id !== null) connections.register(dto.id, caller);
        return domain.registerWorkstationInfo(ws, dto);
      },
    ),
    SaveClientEvents: method(
      1,
      (args) => [eventsArgument(args[0])] as const,
      (_caller, ws, [events]) => domain.saveClientEvents(ws, events),
    ),
    GetHwVaultInfoByRfid: method(1, serial('rfid'), (_c, ws, [rfid]) =>
      domain.getHwVaultInfoByRfid(ws, rfid),
    ),
    GetHwVaultInfoByMac: method(1, serial('mac'), (_c, ws, [mac]) =>
      domain.getHwVaultInfoByMac(ws, mac),
    ),
    GetHwVaultInfoBySerialNo: method(1, serial('serialNo'), (_c, ws, [serialNo]) =>
      domain.getHwVaultInfoBySerialNo(ws, serialNo),
    ),
    UpdateHwVaultProperties: method(
      2,
      (args) => [vaultInfoArgument(args[0]), booleanArgument(args[1], 'returnInfo')] as const,
      (_caller, ws, [dto, returnInfo]) => domain.updateHwVaultProperties(ws, dto, returnInfo),
      (caller, ws, [dto], reply) => {
        failLikeHesCatchBlock(reply, dto);
        if (ws === undefined || !reachedStateSwitch(reply, dto)) return;
        // The connection HES captures for the vault's remote channel, or lets go of.
        if (dto.connectionState === HwVaultConnectionState.Initializing) {
          connections.announced(dto.vaultSerialNo, ws, caller);
        } else if (dto.connectionState === HwVaultConnectionState.Offline) {
          connections.vaultGone(dto.vaultSerialNo, ws);
          relay.vaultOffline(dto.vaultSerialNo, ws);
        }
      },
    ),
    UpdateHwVaultStatus: method(
      1,
      (args) => [vaultInfoArgument(args[0])] as const,
      (_caller, ws, [dto]) => domain.updateHwVaultStatus(ws, dto),
      (_caller, _ws, [dto], reply) => failLikeHesCatchBlock(reply, dto),
    ),
    AuthHwVault: method(1, serial('serialNo'), (_c, ws, [serialNo]) =>
      domain.authHwVault(ws, serialNo),
    ),
    UpdateHwVaultAccounts: method(
      2,
      (args) =>
        [stringArgument(args[0], 'serialNo'), booleanArgument(args[1], 'onlyOsAccounts')] as const,
      (_c, ws, [serialNo, onlyOsAccounts]) =>
        domain.updateHwVaultAccounts(ws, serialNo, onlyOsAccounts),
    ),
    GetNewHwVaultLicenses: method(1, serial('vaultId'), (_c, ws, [vaultId]) =>
      domain.getNewHwVaultLicenses(ws, vaultId),
    ),
    HwVaultLicenseApplied: method(
      2,
      (args) => [stringArgument(args[0], 'vaultId'), stringArgument(args[1], 'licenseId')] as const,
      (_c, ws, [vaultId, licenseId]) => domain.hwVaultLicenseApplied(ws, vaultId, licenseId),
    ),
    GetHwVaultLicenses: method(1, serial('vaultId'), (_c, ws, [vaultId]) =>
      domain.getHwVaultLicenses(ws, vaultId),
    ),
  };

  return {
    methods,
    onDisconnected(caller) {
      // HES's OnDisconnectedAsync works from the header's id (nothing without one): the
      // workstation's vault announcements and remote sessions go, its live connection is
      // dropped whichever connection holds it, and its open sessions are closed.
      const workstationId = workstationIdOf(caller);
      if (workstationId === undefined) return;
      relay.workstationDisconnected(workstationId);
      connections.disconnected(workstationId);
      try {
        Promise.resolve(domain.workstationDisconnected(workstationId)).catch(onError);
      } catch (e) {
        onError(e);
      }
    },
  };
}

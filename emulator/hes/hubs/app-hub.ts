// /appHub (hes-contract.md §4.4): the method table with HES's names and arities, each argument
// read into its DTO and handed to the stand-in domain with the workstation id from the
// `WorkstationId` header. Every method answers the {code, message, data} envelope: a bad
// argument or a missing header is 1001, never a hub error or a crash.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import {
  HwVaultConnectionState,
  type HesResponse,
  type HwVaultInfoFromClientDto,
  type WorkstationEventDto,
  type WorkstationInfoDto,
} from '../../../shared/hes/dto';
import type { HubCaller, HubDefinition, HubMethodDefinition } from '../signalr/hub-definition';
import type { DeviceHubRelay } from '../relay/device-hub-relay';
import type { AppHubConnections } from './app-hub-connections';
import { errorResponse, NO_WORKSTATION_ID, responseForError } from './envelope';
import {
  booleanArgument,
  eventsArgument,
  stringArgument,
  vaultInfoArgument,
  workstationInfoArgument,
} from './hub-arguments';

type Reply = HesResponse<unknown> | Promise<HesResponse<unknown>>;

/** What the AppHub needs of the domain (HesStandIn, emulator/hes/domain). */
export interface AppHubDomain {
  registerWorkstationInfo(workstationId: string | undefined, dto: WorkstationInfoDto): Reply;
  saveClientEvents(workstationId: string, events: WorkstationEventDto[]): Reply;
  getHwVaultInfoByRfid(workstationId: string, rfid: string): Reply;
  getHwVaultInfoByMac(workstationId: string, mac: string): Reply;
  getHwVaultInfoBySerialNo(workstationId: string, serialNo: string): Reply;
  updateHwVaultProperties(
    workstationId: string,
    dto: HwVaultInfoFromClientDto,
    returnInfo: boolean,
  ): Reply;
  updateHwVaultStatus(workstationId: string, dto: HwVaultInfoFromClientDto): Reply;
  authHwVault(workstationId: string, serialNo: string): Reply;
  updateHwVaultAccounts(workstationId: string, serialNo: string, onlyOsAccounts: boolean): Reply;
  getNewHwVaultLicenses(workstationId: string, vaultId: string): Reply;
  hwVaultLicenseApplied(workstationId: string, vaultId: string, licenseId: string): Reply;
  getHwVaultLicenses(workstationId: string, vaultId: string): Reply;
  workstationDisconnected(workstationId: string): unknown;
}

export interface AppHubOptions {
  readonly domain: AppHubDomain;
  readonly connections: AppHubConnections;
  readonly relay: DeviceHubRelay;
  /** Failures outside any reply (e.g. a disconnect clean-up); never given secrets. */
  readonly onError?: (e: unknown) => void;
}

export const workstationIdOf = (caller: HubCaller): string | undefined => {
  const id = caller.headers['workstationid'];
  return id === undefined || id === '' ? undefined : id;
};

/** Runs a handler, turning anything it throws into the envelope (HES's exception filter). */
async function answer(run: () => Reply): Promise<HesResponse<unknown>> {
  try {
    return await run();
  } catch (e) {
    return responseForError(e);
  }
}

export function createAppHub(options: AppHubOptions): HubDefinition {
  const { domain, connections, relay } = options;
  const onError = options.onError ?? (() => undefined);

  /** A method gated on the WorkstationId header (all but RegisterWorkstationInfo). */
  const gated = (
    arity: number,
    run: (workstationId: string, args: readonly unknown[]) => Reply,
  ): HubMethodDefinition => ({
    arity,
    handler: (caller, args) =>
      answer(() => {
        const workstationId = workstationIdOf(caller);
        if (workstationId === undefined) {
          return errorResponse(HesErrorCode.NonHideezException, NO_WORKSTATION_ID);
        }
        return run(workstationId, args);
      }),
  });

  const methods: Record<string, HubMethodDefinition> = {
    RegisterWorkstationInfo: {
      arity: 1,
      handler: (caller, args) =>
        answer(() => {
          const dto = workstationInfoArgument(args[0]);
          // HES stores the caller as the workstation's live connection under dto.id first, so the
          // pushes of the registration (proximity, RFID, alarm) reach it.
          connections.bind(dto.id, caller);
          return domain.registerWorkstationInfo(workstationIdOf(caller), dto);
        }),
    },
    SaveClientEvents: gated(1, (ws, args) => domain.saveClientEvents(ws, eventsArgument(args[0]))),
    GetHwVaultInfoByRfid: gated(1, (ws, args) =>
      domain.getHwVaultInfoByRfid(ws, stringArgument(args[0], 'rfid')),
    ),
    GetHwVaultInfoByMac: gated(1, (ws, args) =>
      domain.getHwVaultInfoByMac(ws, stringArgument(args[0], 'mac')),
    ),
    GetHwVaultInfoBySerialNo: gated(1, (ws, args) =>
      domain.getHwVaultInfoBySerialNo(ws, stringArgument(args[0], 'serialNo')),
    ),
    UpdateHwVaultProperties: gated(2, async (ws, args) => {
      const dto = vaultInfoArgument(args[0]);
      const returnInfo = booleanArgument(args[1], 'returnInfo');
      const reply = await domain.updateHwVaultProperties(ws, dto, returnInfo);
      // The vault left this workstation: its remote session there ends (§5.2 step 6).
      if (dto.connectionState === HwVaultConnectionState.Offline) {
        relay.vaultOffline(dto.vaultSerialNo, ws);
      }
      return reply;
    }),
    UpdateHwVaultStatus: gated(1, (ws, args) =>
      domain.updateHwVaultStatus(ws, vaultInfoArgument(args[0])),
    ),
    AuthHwVault: gated(1, (ws, args) =>
      domain.authHwVault(ws, stringArgument(args[0], 'serialNo')),
    ),
    UpdateHwVaultAccounts: gated(2, (ws, args) =>
      domain.updateHwVaultAccounts(
        ws,
        stringArgument(args[0], 'serialNo'),
        booleanArgument(args[1], 'onlyOsAccounts'),
      ),
    ),
    GetNewHwVaultLicenses: gated(1, (ws, args) =>
      domain.getNewHwVaultLicenses(ws, stringArgument(args[0], 'vaultId')),
    ),
    HwVaultLicenseApplied: gated(2, (ws, args) =>
      domain.hwVaultLicenseApplied(
        ws,
        stringArgument(args[0], 'vaultId'),
        stringArgument(args[1], 'licenseId'),
      ),
    ),
    GetHwVaultLicenses: gated(1, (ws, args) =>
      domain.getHwVaultLicenses(ws, stringArgument(args[0], 'vaultId')),
    ),
  };

  return {
    methods,
    onConnected(caller) {
      const workstationId = workstationIdOf(caller);
      if (workstationId !== undefined) connections.bind(workstationId, caller);
    },
    onDisconnected(caller) {
      // §4.4 "AppHub disconnect": the workstation's remote sessions end, its live connection
      // goes, and the domain closes its open sessions.
      for (const workstationId of connections.unbind(caller.connectionId)) {
        relay.workstationDisconnected(workstationId);
        try {
          Promise.resolve(domain.workstationDisconnected(workstationId)).catch(onError);
        } catch (e) {
          onError(e);
        }
      }
    },
  };
}

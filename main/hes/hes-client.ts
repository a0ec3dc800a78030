// The companion's HES client: one AppHub connection kept up forever, workstation
// registration and approval, the vault calls, and the /deviceHub relay. Plain Node
// (no Electron). States are the view's `ServerConnection` (shared/view/server-state.ts).
import type {
  HwVaultInfoFromClientDto,
  HwVaultProximitySettingsDto,
  WorkstationInfoDto,
} from '../../shared/hes/dto';
import type { KeyInfo } from '../../shared/key/key-info';
import type { OfflineReason, ServerConnection } from '../../shared/view/server-state';
import { AppHubConnection, type ClientMethod } from './app-hub-connection';
import { allowListFromEnv } from './address-policy';
import {
  checkConnectivity,
  CONNECTIVITY_TIMEOUT_MS,
  type ConnectivityOptions,
} from './connectivity-check';
import { DeviceHubRelay, type RelayEvent, type RelayFunction } from './device-hub-relay';
import { proximitySettings } from './dto-validators';
import { hesError, isHesError, type HesErrorReason } from './hes-error';
import type { HubLog } from './hub-connection-factory';
import type { ReconnectOptions } from './reconnect-policy';
import { Registration } from './registration';
import { parseServerUrl, type ServerUrl } from './server-url';
import { ShapeError } from './shape';
import { buildVaultDto, type HwVaultConnectionState } from './vault-dto';
import { vaultCalls, type VaultCalls } from './vault-calls';

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
export const DEFAULT_REGISTRATION_RETRY_MS = 30_000;

export interface HesClientOptions {
  /** undefined = not configured. */
  readonly serverUrl: string | undefined;
  /** From loadWorkstationId (main/hes/workstation-id.ts). */
  readonly workstationId: string;
  /** Machine name, domain, OS, app version, IP…; `id` is replaced by workstationId. */
  readonly workstationInfo: () => WorkstationInfoDto;
  /** The key's RemoteCommand on channel 4. */
  readonly relay: RelayFunction;
  readonly reconnect?: ReconnectOptions;
  readonly callTimeoutMs?: number;
  readonly registrationRetryMs?: number;
  readonly connectivityTimeoutMs?: number;
  /**
   * Hosts and addresses the connectivity check may reach although link-local or metadata
   * (address-policy.ts); default: HIDEEZ_HES_ALLOW_ADDRESSES, comma-separated.
   */
  readonly allowedAddresses?: readonly string[];
  /** SignalR's server timeout and keep-alive (defaults 30 s and 15 s). */
  readonly serverTimeoutMs?: number;
  readonly keepAliveMs?: number;
  /** SignalR's own warnings and errors (never message contents). */
  readonly log?: HubLog;
  readonly random?: () => number;
}

export type HesClientEvent =
  | RelayEvent
  /** UpdateProximitySettings: the vaults allowed to auto-connect here. */
  | {
      readonly type: 'proximitySettings';
      readonly settings: readonly HwVaultProximitySettingsDto[];
    }
  | { readonly type: 'rfidIndicator'; readonly enabled: boolean }
  /** A server → client call with arguments of the wrong shape: ignored. */
  | { readonly type: 'pushRejected'; readonly target: string; readonly problem: string }
  | { readonly type: 'registrationFailed'; readonly code: number; readonly reason: string }
  /** A call the server refused, or that got no usable answer (the caller gets the HesError). */
  | {
      readonly type: 'callFailed';
      readonly target: string;
      readonly code: number;
      readonly reason: HesErrorReason;
      readonly message: string;
    }
  /** The stored address in the options is not valid: the client stays not configured. */
  | { readonly type: 'invalidServerUrl'; readonly message: string };

export interface HesClient extends Omit<VaultCalls, 'registerWorkstationInfo'> {
  readonly state: ServerConnection;
  onState(listener: (state: ServerConnection) => void): () => void;
  onEvent(listener: (event: HesClientEvent) => void): () => void;
  /** The normalised server base, or undefined. */
  readonly serverUrl: string | undefined;
  /** The last alarm state the server told us (to store and send at the next start). */
  readonly alarm: boolean;
  readonly proximitySettings: readonly HwVaultProximitySettingsDto[];
  readonly rfidIndicator: boolean;
  /** The live AppHub connection id, for diagnostics. */
  readonly connectionId: string | null;
  start(): void;
  stop(): Promise<void>;
  /** Validates, checks connectivity (the negotiate POST), then reconnects there; undefined/'' = none. */
  setServerUrl(url: string | undefined): Promise<void>;
  buildVaultDto(info: KeyInfo, state: HwVaultConnectionState): HwVaultInfoFromClientDto;
  /** The key disconnected: tear down its /deviceHub channel. */
  closeVaultChannel(serialNo: string): Promise<void>;
  openVaultChannels(): readonly string[];
  /** While waiting to reconnect: try now instead of at the end of the back-off. */
  retryNow(): void;
  /** Validates the address and asks it the SignalR negotiate question, without switching to it. */
  checkServer(url: string): Promise<void>;
}

export function createHesClient(options: HesClientOptions): HesClient {
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const reconnect = options.reconnect ?? {};
  const stateListeners = new Set<(state: ServerConnection) => void>();
  const eventListeners = new Set<(event: HesClientEvent) => void>();

  let url: ServerUrl | undefined;
  let state: ServerConnection = { state: 'notConfigured' };
  const allowedAddresses = options.allowedAddresses ?? allowListFromEnv(process.env);
  /** The workstation id goes only to the configured server's origin, never to another one. */
  const checkOptions = (candidate: ServerUrl): ConnectivityOptions => ({
    timeoutMs: options.connectivityTimeoutMs ?? CONNECTIVITY_TIMEOUT_MS,
    allowedAddresses,
    ...(url !== undefined && new URL(url.base).origin === new URL(candidate.base).origin
      ? { workstationId: options.workstationId }
      : {}),
  });
  let started = false;
  let app: AppHubConnection | undefined;
  let relay: DeviceHubRelay | undefined;
  /** Why the last try failed; undefined while the first try of a connection runs. */
  let offlineReason: OfflineReason | undefined;
  let transportUp = false;
  let proximity: readonly HwVaultProximitySettingsDto[] = [];
  let rfid = false;
  let switching: Promise<void> = Promise.resolve();

  const emit = (event: HesClientEvent): void => {
    for (const listener of eventListeners) listener(event);
  };

  const same = (a: ServerConnection, b: ServerConnection): boolean =>
    a.state === b.state &&
    (a.state !== 'offline' || (b.state === 'offline' && a.reason === b.reason));

  const derive = (): ServerConnection => {
    if (url === undefined) return { state: 'notConfigured' };
    if (!started) return { state: 'connecting' };
    if (!transportUp) {
      return offlineReason === undefined
        ? { state: 'connecting' }
        : { state: 'offline', reason: offlineReason };
    }
    if (!registration.registered) return { state: 'connecting' };
    if (registration.alarm === true) return { state: 'alarm' };
    if (!registration.approved) return { state: 'notApproved' };
    return { state: 'connected' };
  };

  const update = (): void => {
    const next = derive();
    if (same(next, state)) return;
    state = next;
    for (const listener of stateListeners) listener(state);
  };

  const invoke = (target: string, args: readonly unknown[]): Promise<unknown> =>
    app === undefined ? Promise.reject(hesError.notConnected(target)) : app.invoke(target, args);
  const calls = vaultCalls(invoke, (target, e) => {
    // Registration failures have their own event (registrationFailed).
    if (target === 'RegisterWorkstationInfo' || !isHesError(e)) return;
    emit({ type: 'callFailed', target, code: e.code, reason: e.reason, message: e.message });
  });

  const registration = new Registration({
    workstationId: options.workstationId,
    workstationInfo: options.workstationInfo,
    register: (dto) => calls.registerWorkstationInfo(dto),
    retryMs: options.registrationRetryMs ?? DEFAULT_REGISTRATION_RETRY_MS,
    reconnect,
    ...(options.random !== undefined ? { random: options.random } : {}),
    onChange: update,
    onFailure: (f) => emit({ type: 'registrationFailed', code: f.code, reason: f.reason }),
  });

  /** Runs a server push's handler; arguments of the wrong shape are reported, not thrown. */
  const push =
    (target: string, handle: (args: readonly unknown[]) => void): ClientMethod =>
    (args) => {
      try {
        handle(args);
      } catch (e) {
        const problem = e instanceof ShapeError ? e.message : 'handler failed';
        emit({ type: 'pushRejected', target, problem });
      }
    };
  const bool = (value: unknown, what: string): boolean => {
    if (typeof value !== 'boolean') throw new ShapeError(`${what} is not a boolean`);
    return value;
  };

  const methods: Record<string, ClientMethod> = {
    EstablishRemoteHwVaultConnection: push('EstablishRemoteHwVaultConnection', (args) => {
      const [serialNo, channelNo] = args;
      if (typeof serialNo !== 'string' || serialNo === '') {
        throw new ShapeError('serialNo is not a non-empty string');
      }
      // The channel is the server's to name (HES: 4); the key driver decides if it takes it.
      if (typeof channelNo !== 'number' || !Number.isInteger(channelNo)) {
        throw new ShapeError('channelNo is not an integer');
      }
      if (channelNo < 0 || channelNo > 255) throw new ShapeError('channelNo is not a byte');
      void relay?.open(serialNo, channelNo);
    }),
    WorkstationApproved: push('WorkstationApproved', () => registration.approvedByServer()),
    WorkstationUnapproved: push('WorkstationUnapproved', () => registration.unapprovedByServer()),
    SetAlarmState: push('SetAlarmState', (args) =>
      registration.alarmByServer(bool(args[0], 'isEnabled')),
    ),
    UpdateProximitySettings: push('UpdateProximitySettings', (args) => {
      proximity = proximitySettings(args[0]);
      emit({ type: 'proximitySettings', settings: proximity });
    }),
    UpdateRFIDIndicatorState: push('UpdateRFIDIndicatorState', (args) => {
      rfid = bool(args[0], 'isEnabled');
      emit({ type: 'rfidIndicator', enabled: rfid });
    }),
    // Declared by the SDK, never sent by HES (dead code there): accepted and ignored.
    LockHwVaultStorage: () => undefined,
    LiftHwVaultStorageLock: () => undefined,
    UnlockWorkstationRequest: () => undefined,
  };

  const connect = (): void => {
    if (url === undefined) return;
    const target = url;
    relay = new DeviceHubRelay({
      url: target,
      workstationId: options.workstationId,
      callTimeoutMs,
      relay: options.relay,
      onEvent: emit,
      ...hubTimings(options),
    });
    const currentRelay = relay;
    app = new AppHubConnection({
      url: target,
      workstationId: options.workstationId,
      reconnect,
      callTimeoutMs,
      methods,
      onUp: () => {
        transportUp = true;
        registration.connected();
        update();
      },
      onDown: (reason) => {
        transportUp = false;
        offlineReason = reason;
        registration.disconnected();
        void currentRelay.closeAll();
        update();
      },
      ...hubTimings(options),
      ...(options.random !== undefined ? { random: options.random } : {}),
    });
    app.start();
  };

  const disconnect = async (): Promise<void> => {
    const [oldApp, oldRelay] = [app, relay];
    app = undefined;
    relay = undefined;
    transportUp = false;
    registration.disconnected();
    await Promise.all([oldApp?.stop(), oldRelay?.dispose()]);
  };

  if (options.serverUrl !== undefined && options.serverUrl.trim() !== '') {
    try {
      url = parseServerUrl(options.serverUrl);
      state = { state: 'connecting' };
    } catch (e) {
      emit({ type: 'invalidServerUrl', message: isHesError(e) ? e.message : 'invalid' });
    }
  }

  const client: HesClient = {
    ...calls,
    get state() {
      return state;
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    get serverUrl() {
      return url?.base;
    },
    get alarm() {
      return registration.alarm === true;
    },
    get proximitySettings() {
      return proximity;
    },
    get rfidIndicator() {
      return rfid;
    },
    get connectionId() {
      return app?.connectionId ?? null;
    },
    start() {
      if (started) return;
      started = true;
      offlineReason = undefined;
      update();
      connect();
    },
    async stop() {
      started = false;
      await disconnect();
      registration.dispose();
      update();
    },
    setServerUrl(text) {
      const run = async (): Promise<void> => {
        if (text === undefined || text.trim() === '') {
          await disconnect();
          url = undefined;
          update();
          return;
        }
        const next = parseServerUrl(text);
        await checkConnectivity(next, checkOptions(next));
        await disconnect();
        url = next;
        offlineReason = undefined;
        update();
        if (started) connect();
      };
      const result = switching.then(run);
      switching = result.catch(() => undefined);
      return result;
    },
    buildVaultDto: (info, connectionState) => buildVaultDto(info, connectionState),
    closeVaultChannel: (serialNo) => relay?.close(serialNo) ?? Promise.resolve(),
    openVaultChannels: () => relay?.openChannels() ?? [],
    retryNow: () => app?.retryNow(),
    checkServer: async (text) => {
      const candidate = parseServerUrl(text);
      await checkConnectivity(candidate, checkOptions(candidate));
    },
  };
  return client;
}

function hubTimings(options: HesClientOptions): {
  serverTimeoutMs?: number;
  keepAliveMs?: number;
  log?: HubLog;
} {
  return {
    ...(options.serverTimeoutMs !== undefined ? { serverTimeoutMs: options.serverTimeoutMs } : {}),
    ...(options.keepAliveMs !== undefined ? { keepAliveMs: options.keepAliveMs } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  };
}

// The HES stand-in server: one http server carrying the two SignalR hubs (/appHub, /deviceHub)
// and the admin REST API, over the domain (HesStandIn) and its SQLite file. Bound to 127.0.0.1
// unless told otherwise: like HES's hubs it has no client authentication, and its admin API has
// none either (HES requires an Administrator cookie there).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_HUB_PATH, DEVICE_HUB_PATH } from '../../shared/hes/dto';
import { HesStandIn } from './domain/hes-stand-in';
import type { RemoteJobOutcome } from './domain/ports';
import { AppHubConnections } from './hubs/app-hub-connections';
import { createAppHub } from './hubs/app-hub';
import { createDeviceHub } from './hubs/device-hub';
import { DeviceHubRelay } from './relay/device-hub-relay';
import { createAdminRest } from './rest/admin-rest';
import { SignalRServer, type SignalRServerOptions } from './signalr';
import { HesStore } from './store/hes-store';

export const DEFAULT_HOST = '127.0.0.1';

export interface StartHesStandInOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The SQLite file; a missing or empty file gets a fresh database with the default profile. */
  readonly dbFile: string;
  readonly now?: () => Date;
  /** From EstablishRemoteHwVaultConnection to a verified device-hub session (20 000). */
  readonly setupTimeoutMs?: number;
  /** One round trip on a vault's device-hub channel (30 000). */
  readonly commandTimeoutMs?: number;
  /**
   * What each job nobody waits for ended with (server-started sessions after admin actions,
   * set-ups that lost their caller), as HES logs it. Never carries secrets.
   */
  readonly onRemoteJob?: (outcome: RemoteJobOutcome) => void;
  /** SignalR keep-alive and timeouts (HES defaults when absent). */
  readonly signalr?: Omit<SignalRServerOptions, 'hubs'>;
  /** Largest admin request body (1 MiB). */
  readonly maxBodyBytes?: number;
  /** Unexpected failures inside the server (never carries secrets). */
  readonly onError?: (e: unknown) => void;
}

export interface HesStandInServer {
  /** e.g. 'http://127.0.0.1:5123' (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly standIn: HesStandIn;
  /** Test access to the live hub connections (e.g. to drop one). */
  readonly signalr: SignalRServer;
  close(): Promise<void>;
}

const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const failed = (e: Error): void => reject(e);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export async function startHesStandIn(options: StartHesStandInOptions): Promise<HesStandInServer> {
  const host = options.host ?? DEFAULT_HOST;
  const onError = options.onError ?? (() => undefined);
  const store = HesStore.open(options.dbFile);
  const connections = new AppHubConnections();
  const relay = new DeviceHubRelay({
    notifier: connections,
    ...(options.setupTimeoutMs !== undefined ? { setupTimeoutMs: options.setupTimeoutMs } : {}),
    ...(options.commandTimeoutMs !== undefined
      ? { commandTimeoutMs: options.commandTimeoutMs }
      : {}),
    ...(options.onRemoteJob ? { onOutcome: options.onRemoteJob } : {}),
    onPairGone: (vaultId, workstationId) => connections.vaultGone(vaultId, workstationId),
  });
  const standIn = new HesStandIn({
    store,
    relay,
    notifier: connections,
    ...(options.now ? { now: options.now } : {}),
  });
  const signalr = new SignalRServer({
    ...options.signalr,
    hubs: {
      [APP_HUB_PATH]: createAppHub({ domain: standIn, connections, relay, onError }),
      [DEVICE_HUB_PATH]: createDeviceHub({ relay }),
    },
  });
  const rest = createAdminRest({
    standIn,
    onError,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  const server = createServer((req, res) => {
    if (signalr.handleRequest(req, res)) return;
    rest(req, res).catch(onError);
  });
  signalr.attach(server);
  try {
    await listen(server, options.port ?? 0, host);
  } catch (e) {
    await signalr.close();
    store.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      relay.close();
      await signalr.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    })();
    return closing;
  };

  return { url: `http://${urlHost(host)}:${port}`, port, standIn, signalr, close };
}

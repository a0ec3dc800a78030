// The HES stand-in server: one http server carrying the two SignalR hubs (/appHub, /deviceHub)
// and the admin REST API, over the domain (HesStandIn) and its SQLite file. Bound to 127.0.0.1
// unless told otherwise. Like HES's hubs it has no client authentication; its admin API needs
// an Administrator's session as HES's does (the password is kept beside the database, 0600).
// Open sockets are capped: past the cap a new one gets a 503 and is closed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_HUB_PATH, DEVICE_HUB_PATH } from '../../shared/hes/dto';
import { HesStandIn } from './domain/hes-stand-in';
import type { RemoteJobOutcome } from './domain/ports';
import { AppHubConnections } from './hubs/app-hub-connections';
import { createAppHub } from './hubs/app-hub';
import { createDeviceHub } from './hubs/device-hub';
import { DeviceHubRelay } from './relay/device-hub-relay';
import { capConnections } from '../../main/net/connection-cap';
import { loadOrCreateAdminCredentials, credentialsFileFor } from './rest/admin-credentials';
import { AdminIdentity, Role } from './rest/admin-identity';
import { createAdminRest } from './rest/admin-rest';
import { RestError, RestErrorCode } from './rest/rest-error';
import { SignalRServer, type SignalRServerOptions } from './signalr';
import { HesStore } from './store/hes-store';

export const DEFAULT_HOST = '127.0.0.1';
/** Sockets open at once (hubs, long polls and REST together): far above 50 workstations' needs. */
export const DEFAULT_MAX_CONNECTIONS = 512;

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
  /** Sockets open at once; past it a new one gets a 503 (DEFAULT_MAX_CONNECTIONS). */
  readonly maxConnections?: number;
  /** The administrator's credentials file (default `<dbFile>.credentials.json`, created 0600). */
  readonly credentialsFile?: string;
  /** Host names the admin API answers to besides IP literals and localhost (DNS rebinding). */
  readonly allowedHosts?: readonly string[];
  /** Unexpected failures inside the server (never carries secrets). */
  readonly onError?: (e: unknown) => void;
}

export interface HesStandInServer {
  /** e.g. 'http://127.0.0.1:5123' (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly standIn: HesStandIn;
  /** The administrator's e-mail and the file holding the password (never the password). */
  readonly admin: { readonly email: string; readonly credentialsFile: string };
  /** The admin API's users and sessions (tests add a non-administrator here). */
  readonly identity: AdminIdentity;
  /** Sockets open now (for tests of the cap). */
  readonly openConnections: () => number;
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
  const credentialsFile = options.credentialsFile ?? credentialsFileFor(options.dbFile);
  const credentials = await loadOrCreateAdminCredentials(credentialsFile);
  const clock = options.now;
  const identity = new AdminIdentity(clock ? () => clock().getTime() : Date.now);
  identity.addUser({ ...credentials, role: Role.Administrator });
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
  let port = 0;
  const rest = createAdminRest({
    standIn,
    identity,
    port: () => port,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    onError,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  const server = createServer((req, res) => {
    if (cap.refused(req.socket)) return void req.socket.destroy();
    if (signalr.handleRequest(req, res)) return;
    rest(req, res).catch(onError);
  });
  const max = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const cap = capConnections(server, {
    max,
    body: JSON.stringify(
      new RestError(
        503,
        RestErrorCode.TooManyConnections,
        `More than ${max} connections are open: try again later`,
      ).body(),
    ),
    contentType: 'application/json; charset=utf-8',
  });
  signalr.attach(server);
  try {
    await listen(server, options.port ?? 0, host);
  } catch (e) {
    await signalr.close();
    store.close();
    throw e;
  }
  port = (server.address() as AddressInfo).port;

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

  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    standIn,
    admin: { email: credentials.email, credentialsFile },
    identity,
    openConnections: cap.open,
    signalr,
    close,
  };
}

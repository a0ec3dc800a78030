// The real parts, wired as in production: the HES stand-in (startHesStandIn on an ephemeral
// port over a temp SQLite file) and the companion's real HES client (createHesClient, the real
// @microsoft/signalr) whose relay is a real VirtualKey's RemoteCommand over its HID link. The
// test keeps its own connection to the stand-in's SQLite file to read what the server stored
// (events, counters, the master key it forces key states with). Waits are event-driven.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startHesStandIn,
  type HesStandInServer,
  type StartHesStandInOptions,
} from '../../../emulator/hes/server';
import type { RemoteJobOutcome } from '../../../emulator/hes/domain/ports';
import { HesStore } from '../../../emulator/hes/store/hes-store';
import { adminCookie } from '../../emulator/hes/server/stand-in-hosts';
import {
  createHesClient,
  type HesClient,
  type HesClientEvent,
  type HesClientOptions,
} from '../../../main/hes/hes-client';
import { isHesError, type HesError } from '../../../main/hes/hes-error';
import {
  HwVaultConnectionState,
  type HwVaultInfoFromHesDto,
  type WorkstationInfoDto,
} from '../../../shared/hes/dto';
import type { ServerConnection } from '../../../shared/view/server-state';
import type { HidKey } from './hid-key';

export interface Rig {
  readonly dir: string;
  readonly dbFile: string;
  readonly server: HesStandInServer;
  /** The test's own connection to the stand-in's database file. */
  readonly db: HesStore;
  /** What the server's background jobs ended with (server-started sessions, as HES logs them). */
  readonly outcomes: RemoteJobOutcome[];
  /** The next background outcome logged after the call. */
  nextOutcome(): Promise<RemoteJobOutcome>;
  /** Stops the server (close()), as a killed process would leave the file. */
  kill(): Promise<void>;
  /** Starts a new server on the same port and the same database file. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startRig(
  options: Partial<Omit<StartHesStandInOptions, 'dbFile' | 'port'>> = {},
): Promise<Rig> {
  const dir = await mkdtemp(join(tmpdir(), 'hes-integration-'));
  const dbFile = join(dir, 'hes.sqlite');
  const outcomes: RemoteJobOutcome[] = [];
  const onRemoteJob = (outcome: RemoteJobOutcome): void => {
    outcomes.push(outcome);
    options.onRemoteJob?.(outcome);
  };
  let server = await startHesStandIn({ dbFile, port: 0, ...options, onRemoteJob });
  const port = server.port;
  let running = true;
  const db = HesStore.open(dbFile);
  const rig: Rig = {
    dir,
    dbFile,
    get server() {
      return server;
    },
    db,
    outcomes,
    async nextOutcome() {
      const seen = outcomes.length;
      while (outcomes.length <= seen) await new Promise((resolve) => setTimeout(resolve, 5));
      const outcome = outcomes[seen];
      if (!outcome) throw new Error('no outcome');
      return outcome;
    },
    async kill() {
      running = false;
      await server.close();
    },
    async restart() {
      if (running) await rig.kill();
      server = await startHesStandIn({ dbFile, port, ...options, onRemoteJob });
      running = true;
    },
    async close() {
      if (running) await rig.kill();
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** Each running server's administrator session (a restart signs out: a new server, a new key). */
const cookies = new WeakMap<HesStandInServer, string>();

/** A JSON call to the stand-in's admin REST API, as its administrator. */
export async function rest(
  rig: Rig,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const cookie = cookies.get(rig.server) ?? (await adminCookie(rig.server));
  cookies.set(rig.server, cookie);
  const response = await fetch(`${rig.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** What a vault call came back with: the info, or the HesError's code. */
export interface Outcome {
  readonly code: number;
  readonly info?: HwVaultInfoFromHesDto;
  readonly error?: HesError;
}

export async function outcome(call: Promise<HwVaultInfoFromHesDto>): Promise<Outcome> {
  try {
    return { code: 0, info: await call };
  } catch (e) {
    if (isHesError(e)) return { code: e.code, error: e };
    throw e;
  }
}

/**
 * Sits between the client's relay and the key: gets the sealed buffer and `forward`, which
 * hands bytes to the key. Fault tests use it to flip a byte, hold a command, or drop a link.
 */
export type RelayIntercept = (
  serialNo: string,
  sealed: Uint8Array,
  signal: AbortSignal,
  forward: (bytes: Uint8Array) => Promise<Uint8Array>,
) => Promise<Uint8Array>;

export interface Companion {
  readonly id: string;
  readonly client: HesClient;
  readonly states: ServerConnection[];
  readonly events: HesClientEvent[];
  /** Every buffer the relay handed to a key, as handed. */
  readonly relayed: Uint8Array[];
  /** How many times the client registered (it reads workstationInfo() for each). */
  readonly registrations: number;
  intercept: RelayIntercept | undefined;
  attach(key: HidKey): void;
  /** The key disconnected: forget it and tear down its /deviceHub channel. */
  detach(key: HidKey): Promise<void>;
  until(match: ServerConnection['state'] | ((s: ServerConnection) => boolean)): Promise<void>;
  event<T extends HesClientEvent['type']>(
    type: T,
    match?: (e: Extract<HesClientEvent, { type: T }>) => boolean,
  ): Promise<Extract<HesClientEvent, { type: T }>>;
  /** UpdateHwVaultProperties(buildVaultDto(key info, state), true). */
  announce(key: HidKey, state?: HwVaultConnectionState): Promise<Outcome>;
  /** UpdateHwVaultStatus(buildVaultDto(key info, Online)). */
  sync(key: HidKey): Promise<Outcome>;
  stop(): Promise<void>;
}

export const workstationInfo = (id: string): WorkstationInfoDto => ({
  id,
  machineName: 'PC-INTEGRATION',
  domain: 'CORP',
  appVersion: '0.1.0',
  osName: 'Linux',
  osVersion: '6.1',
  osBuild: '1',
  ip: '127.0.0.1',
  mac: '',
  users: [],
  isAlarmTurnOn: false,
});

export function startCompanion(rig: Rig, options: Partial<HesClientOptions> = {}): Companion {
  const id = randomUUID();
  const keys = new Map<string, HidKey>();
  const relayed: Uint8Array[] = [];
  const states: ServerConnection[] = [];
  const events: HesClientEvent[] = [];
  const stateWaiters = new Set<() => void>();
  const eventWaiters = new Set<(e: HesClientEvent) => void>();
  let registrations = 0;
  const client = createHesClient({
    serverUrl: rig.server.url,
    workstationId: id,
    workstationInfo: () => {
      registrations += 1;
      return workstationInfo(id);
    },
    relay: (serialNo, _channel, request, signal) => {
      const key = keys.get(serialNo);
      if (!key) return Promise.reject(new Error('no such key on this workstation'));
      // The open protocol's channel set-up: a reset has nothing to drop; the verify is the
      // key's VerifyChannel (the server sends no public key to an open key).
      if (request.kind === 'reset') return Promise.resolve(new Uint8Array(0));
      if (request.kind === 'verify') return key.verifyChannel(request.nonce, signal);
      if (request.kind !== 'message')
        return Promise.reject(new Error(`unsupported step ${request.kind}`));
      const sealed = request.data;
      const forward = (bytes: Uint8Array): Promise<Uint8Array> => {
        relayed.push(bytes);
        return key.remote(bytes, signal);
      };
      return companion.intercept
        ? companion.intercept(serialNo, sealed, signal, forward)
        : forward(sealed);
    },
    reconnect: { firstMs: 20, stepMs: 20, maxMs: 100, jitter: 0 },
    registrationRetryMs: 50,
    ...options,
  });
  client.onState((s) => {
    states.push(s);
    for (const wake of [...stateWaiters]) wake();
  });
  client.onEvent((e) => {
    events.push(e);
    for (const wake of [...eventWaiters]) wake(e);
  });
  const dto = async (key: HidKey, state: HwVaultConnectionState) =>
    client.buildVaultDto(await key.info(), state);

  const companion: Companion = {
    id,
    client,
    states,
    events,
    relayed,
    get registrations() {
      return registrations;
    },
    intercept: undefined,
    attach: (key) => void keys.set(key.serial, key),
    async detach(key) {
      keys.delete(key.serial);
      await client.closeVaultChannel(key.serial);
    },
    until(match) {
      const test = typeof match === 'string' ? (s: ServerConnection) => s.state === match : match;
      if (test(client.state)) return Promise.resolve();
      return new Promise((resolve) => {
        const wake = (): void => {
          if (!test(client.state)) return;
          stateWaiters.delete(wake);
          resolve();
        };
        stateWaiters.add(wake);
      });
    },
    event(type, match = () => true) {
      return new Promise((resolve) => {
        const wake = (e: HesClientEvent): void => {
          if (e.type !== type || !match(e as never)) return;
          eventWaiters.delete(wake);
          resolve(e as never);
        };
        eventWaiters.add(wake);
      });
    },
    announce: async (key, state = HwVaultConnectionState.Initializing) =>
      outcome(client.updateHwVaultProperties(await dto(key, state), true)),
    sync: async (key) =>
      outcome(client.updateHwVaultStatus(await dto(key, HwVaultConnectionState.Online))),
    stop: () => client.stop(),
  };
  client.start();
  return companion;
}

/** Starts a companion and has the admin approve its workstation: resolves when connected. */
export async function approvedCompanion(
  rig: Rig,
  options: Partial<HesClientOptions> = {},
): Promise<Companion> {
  const companion = startCompanion(rig, options);
  await companion.until('notApproved');
  rig.server.standIn.approveWorkstation(companion.id);
  await companion.until('connected');
  return companion;
}

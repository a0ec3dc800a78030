// Test scaffolding for the whole stand-in: startHesStandIn on an ephemeral port over a temp
// SQLite file, virtual keys with a USB host each, and a minimal companion ("workstation") on the
// REAL @microsoft/signalr client: /appHub with the WorkstationId header, and on
// EstablishRemoteHwVaultConnection a /deviceHub connection with DeviceId + WorkstationId that
// carries every step of the server's channel to the key (key-peers.ts) — SendResetChannel,
// SendVerifyCommand → VerifyCommandResponse, SendGetRootKeyCommand → GetRootKeyCommandResponse,
// SendRemoteCommand → RemoteCommandResponse — and records each step it received.
// Waits are event-driven. Everything made here is closed by closeAll().
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HttpTransportType,
  HubConnectionBuilder,
  LogLevel,
  type HubConnection,
} from '@microsoft/signalr';
import type { ServerChannelRequest } from '../../../../device/key/key-operations';
import { VirtualKey } from '../../../../emulator/key/virtual-key';
import {
  startHesStandIn,
  type HesStandInServer,
  type StartHesStandInOptions,
} from '../../../../emulator/hes/server';
import { readAdminCredentials } from '../../../../emulator/hes/rest/admin-credentials';
import { buildVaultDto } from '../../../../main/hes/vault-dto';
import {
  APP_HUB_PATH,
  DEVICE_HUB_PATH,
  HES_REMOTE_CHANNEL,
  type EncryptedRequest,
  type HesResponse,
  type HwVaultConnectionState,
  type HwVaultInfoFromClientDto,
  type WorkstationInfoDto,
} from '../../../../shared/hes/dto';
import { keyFolder, TEST_HASH_COST, type UsbHost } from '../../key/key-hosts';
import type { ProvisioningRecord } from '../../../../emulator/key/provision';
import { key3Peers, openKeyPeer, SerialUsbHost, type Key3Peers, type KeyPeer } from './key-peers';

const closers: (() => Promise<void>)[] = [];

export async function closeAll(): Promise<void> {
  while (closers.length > 0) await closers.pop()?.();
}

/** Something else for closeAll() to close (last made, first closed). */
export function closeWith(close: () => Promise<void> | void): void {
  closers.push(async () => {
    await close();
  });
}

export async function tempDir(prefix = 'hes-server-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  closers.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function startServer(
  options: Partial<StartHesStandInOptions> = {},
): Promise<HesStandInServer> {
  const dir = await tempDir();
  const server = await startHesStandIn({ dbFile: join(dir, 'hes.sqlite'), port: 0, ...options });
  closers.push(() => server.close());
  await logIn(server);
  return server;
}

/** The session cookie rest() sends to each server URL (set by logIn). */
const sessions = new Map<string, string>();

/**
 * Logs in as the stand-in's administrator (POST /api/Identity/Login with the credentials file
 * beside its database), as the CLI does; rest() then sends the cookie to that URL.
 */
export async function logIn(server: HesStandInServer): Promise<string> {
  const cookie = await adminCookie(server);
  sessions.set(server.url, cookie);
  closers.push(() => Promise.resolve(void sessions.delete(server.url)));
  return cookie;
}

/** An administrator's session cookie (`name=value`) for `server`. */
export async function adminCookie(server: HesStandInServer): Promise<string> {
  const credentials = await readAdminCredentials(server.admin.credentialsFile);
  const response = await fetch(`${server.url}/api/Identity/Login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const cookie = response.headers.get('set-cookie')?.split(';', 1)[0];
  if (response.status !== 200 || cookie === undefined) {
    throw new Error(`login failed: HTTP ${response.status}`);
  }
  return cookie;
}

/** A JSON call to the admin REST API: status and parsed body (undefined when empty). */
export async function rest(
  server: { url: string },
  method: string,
  path: string,
  body?: unknown,
  rawBody?: string,
): Promise<{ status: number; body: unknown }> {
  const cookie = sessions.get(server.url);
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    ...(rawBody !== undefined
      ? { body: rawBody }
      : body !== undefined
        ? { body: JSON.stringify(body) }
        : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

export interface TestKey {
  readonly key: VirtualKey;
  readonly usb: UsbHost;
  readonly record: ProvisioningRecord;
}

/** Provisioned, plugged virtual keys with a USB host each, and their provisioning records. */
export async function virtualKeys(
  count = 1,
): Promise<{ keys: TestKey[]; records: ProvisioningRecord[] }> {
  const folder = await keyFolder(count);
  closers.push(() => folder.cleanup());
  const keys: TestKey[] = [];
  for (const record of folder.records) {
    const key = await VirtualKey.open(folder.pathOf(record), { hashCost: TEST_HASH_COST });
    closers.push(() => Promise.resolve(key.unplug()));
    const usb = new SerialUsbHost(key.hid);
    await usb.init();
    keys.push({ key, usb, record });
  }
  return { keys, records: folder.records };
}

/** Virtual Hideez Key 3s opened through the companion's driver (closed by closeAll). */
export async function virtualKey3Peers(count = 1): Promise<Key3Peers> {
  const peers = await key3Peers(count);
  closers.push(() => peers.cleanup());
  return peers;
}

/** How the test workstation answers EstablishRemoteHwVaultConnection. */
export type RelayMode =
  /** Opens /deviceHub and relays every step to the key. */
  | 'relay'
  /** Opens /deviceHub, relays the set-up steps, never answers a command. */
  | 'silent'
  /** Opens /deviceHub and answers nothing. */
  | 'mute'
  /** Never opens /deviceHub. */
  | 'ignore';

/** The server → workstation calls on /deviceHub. */
export const DEVICE_HUB_STEPS = [
  'SendResetChannel',
  'SendVerifyCommand',
  'SendGetRootKeyCommand',
  'SendRemoteCommand',
  'SendControlRemoteCommand',
] as const;
export type DeviceHubStep = (typeof DEVICE_HUB_STEPS)[number];

/** One call the server made on a device hub, in arrival order. */
export interface StepCall {
  readonly serialNo: string;
  readonly target: DeviceHubStep;
  readonly args: readonly unknown[];
}

export interface Push {
  readonly target: string;
  readonly args: readonly unknown[];
}

const PUSH_TARGETS = [
  'EstablishRemoteHwVaultConnection',
  'UpdateProximitySettings',
  'UpdateRFIDIndicatorState',
  'WorkstationApproved',
  'WorkstationUnapproved',
  'SetAlarmState',
  'LockHwVaultStorage',
  'LiftHwVaultStorageLock',
  'UnlockWorkstationRequest',
];

const bytesOf = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'));
const base64Of = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

function hub(url: string, headers: Record<string, string>): HubConnection {
  const connection = new HubConnectionBuilder()
    .withUrl(url, { transport: HttpTransportType.WebSockets, headers })
    .configureLogging(LogLevel.None)
    .build();
  closers.push(() => connection.stop());
  return connection;
}

/** The reply method answering a step (none for a reset or a control packet). */
const REPLY_OF: Partial<Record<DeviceHubStep, string>> = {
  SendVerifyCommand: 'VerifyCommandResponse',
  SendGetRootKeyCommand: 'GetRootKeyCommandResponse',
  SendRemoteCommand: 'RemoteCommandResponse',
};

/** A step as the key's peer takes it. */
function requestOf(target: DeviceHubStep, args: readonly unknown[]): ServerChannelRequest {
  switch (target) {
    case 'SendResetChannel':
      return { kind: 'reset' };
    case 'SendVerifyCommand':
      return {
        kind: 'verify',
        publicKey: bytesOf(String(args[0])),
        nonce: bytesOf(String(args[1])),
      };
    case 'SendGetRootKeyCommand':
      return { kind: 'rootKey' };
    case 'SendRemoteCommand':
      return { kind: 'message', data: bytesOf((args[0] as EncryptedRequest).buffer.data) };
    case 'SendControlRemoteCommand':
      return { kind: 'control', data: bytesOf(String((args[0] as { data?: unknown }).data)) };
  }
}

/** The channel a step names (the verify and reset steps carry it; the others use 4). */
function channelOf(target: DeviceHubStep, args: readonly unknown[]): number {
  if (target === 'SendVerifyCommand') return Number(args[2]);
  if (target === 'SendResetChannel') return Number(args[0]);
  return HES_REMOTE_CHANNEL;
}

/** A minimal companion on one workstation. */
export class TestWorkstation {
  readonly pushes: Push[] = [];
  readonly deviceHubs: HubConnection[] = [];
  relayMode: RelayMode = 'relay';
  /** An error text sent with every RemoteCommandResponse, even one that carries the reply. */
  commandErrorText: string | null = null;
  private readonly keys = new Map<string, KeyPeer>();
  private pushWaiters: { match: (p: Push) => boolean; resolve: (p: Push) => void }[] = [];
  /** SendRemoteCommand requests received on any device hub, in order. */
  readonly commands: EncryptedRequest[] = [];
  /** Every step received on any device hub, in order. */
  readonly steps: StepCall[] = [];
  private stepWaiters: (() => void)[] = [];

  private constructor(
    readonly server: { url: string },
    readonly id: string,
    readonly appHub: HubConnection,
  ) {
    for (const target of PUSH_TARGETS) {
      appHub.on(target, (...args: unknown[]) => this.pushed({ target, args }));
    }
  }

  /** Connects /appHub; `id` undefined sends no WorkstationId header. */
  static async connect(server: { url: string }, id: string | undefined): Promise<TestWorkstation> {
    const appHub = hub(
      `${server.url}${APP_HUB_PATH}`,
      id === undefined ? {} : { WorkstationId: id },
    );
    const ws = new TestWorkstation(server, id ?? '', appHub);
    await appHub.start();
    return ws;
  }

  /** The open-protocol key this workstation relays to when the server asks for `serialNo`. */
  attach(usb: UsbHost, serialNo: string): void {
    this.keys.set(serialNo, openKeyPeer(usb));
  }

  /** Any key's peer (e.g. a Hideez Key 3 opened through the companion's driver). */
  attachPeer(serialNo: string, peer: KeyPeer): void {
    this.keys.set(serialNo, peer);
  }

  invoke<T = unknown>(method: string, ...args: unknown[]): Promise<HesResponse<T>> {
    return this.appHub.invoke<HesResponse<T>>(method, ...args);
  }

  register(info: Partial<WorkstationInfoDto> = {}): Promise<HesResponse> {
    return this.invoke('RegisterWorkstationInfo', {
      id: this.id,
      machineName: 'PC-TEST',
      domain: 'CORP',
      appVersion: '0.1.0',
      osName: 'Linux',
      osVersion: '6',
      osBuild: '1',
      ip: '127.0.0.1',
      mac: '',
      users: [],
      isAlarmTurnOn: false,
      ...info,
    });
  }

  /** The key's own report as the DTO the companion sends. */
  async dto(usb: UsbHost, state: HwVaultConnectionState): Promise<HwVaultInfoFromClientDto> {
    return buildVaultDto(await usb.info(), state);
  }

  /** Resolves once `count` SendRemoteCommand requests have arrived. */
  commandsReceived(count: number): Promise<void> {
    return this.stepsReceived(count, (s) => s.target === 'SendRemoteCommand');
  }

  /** Resolves once `count` steps matching have arrived. */
  async stepsReceived(count: number, match: (s: StepCall) => boolean = () => true): Promise<void> {
    while (this.steps.filter(match).length < count) {
      await new Promise<void>((resolve) => this.stepWaiters.push(resolve));
    }
  }

  /** The first push matching, now or later. */
  nextPush(match: (p: Push) => boolean): Promise<Push> {
    const found = this.pushes.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.pushWaiters.push({ match, resolve }));
  }

  private pushed(push: Push): void {
    this.pushes.push(push);
    const waiters = this.pushWaiters.filter((w) => w.match(push));
    this.pushWaiters = this.pushWaiters.filter((w) => !w.match(push));
    for (const w of waiters) w.resolve(push);
    if (push.target === 'EstablishRemoteHwVaultConnection') {
      void this.openDeviceHub(String(push.args[0])).catch(() => undefined);
    }
  }

  /** Opens a /deviceHub connection for the vault, as on EstablishRemoteHwVaultConnection. */
  async openDeviceHub(serialNo: string): Promise<HubConnection | undefined> {
    if (this.relayMode === 'ignore') return undefined;
    const deviceHub = hub(`${this.server.url}${DEVICE_HUB_PATH}`, {
      DeviceId: serialNo,
      WorkstationId: this.id,
    });
    this.deviceHubs.push(deviceHub);
    // Steps are handled one after another, in the order they came (as the companion does).
    let queue = Promise.resolve();
    for (const target of DEVICE_HUB_STEPS) {
      deviceHub.on(target, (...args: unknown[]) => {
        this.received({ serialNo, target, args });
        if (target === 'SendRemoteCommand') this.commands.push(args[0] as EncryptedRequest);
        queue = queue
          .then(() => this.answer(deviceHub, serialNo, target, args))
          .catch(() => undefined);
      });
    }
    await deviceHub.start();
    return deviceHub;
  }

  private received(step: StepCall): void {
    this.steps.push(step);
    for (const resolve of this.stepWaiters.splice(0)) resolve();
  }

  private async answer(
    deviceHub: HubConnection,
    serialNo: string,
    target: DeviceHubStep,
    args: readonly unknown[],
  ): Promise<void> {
    const replyMethod = REPLY_OF[target];
    if (this.relayMode === 'mute') return;
    if (this.relayMode === 'silent' && target === 'SendRemoteCommand') return;
    let bytes = new Uint8Array(0);
    let error: string | null = target === 'SendRemoteCommand' ? this.commandErrorText : null;
    const peer = this.keys.get(serialNo);
    try {
      if (!peer) throw new Error('no such key here');
      bytes = new Uint8Array(await peer(channelOf(target, args), requestOf(target, args)));
    } catch (e) {
      error = e instanceof Error ? e.message : 'relay failed';
    }
    if (replyMethod === undefined) return;
    if (target === 'SendRemoteCommand') {
      await deviceHub.invoke(
        replyMethod,
        { data: base64Of(bytes), channelNo: HES_REMOTE_CHANNEL },
        error,
      );
    } else {
      await deviceHub.invoke(replyMethod, { replyResult: base64Of(bytes) }, error);
    }
  }
}

/** Waits (polling, no deadline of its own) until the server-side condition holds. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A raw /deviceHub connection nobody asked for (or with chosen headers). */
export async function strayDeviceHub(
  server: { url: string },
  headers: Record<string, string>,
): Promise<HubConnection> {
  const connection = hub(`${server.url}${DEVICE_HUB_PATH}`, headers);
  await connection.start();
  return connection;
}

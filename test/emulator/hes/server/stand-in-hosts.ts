// Test scaffolding for the whole stand-in: startHesStandIn on an ephemeral port over a temp
// SQLite file, virtual keys with a USB host each, and a minimal companion ("workstation") on the
// REAL @microsoft/signalr client: /appHub with the WorkstationId header, and on
// EstablishRemoteHwVaultConnection a /deviceHub connection with DeviceId + WorkstationId that
// relays SendRemoteCommand buffers to the key's RemoteCommand and answers RemoteCommandResponse.
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
import { Command } from '../../../../device/protocol/messages';
import { VirtualKey } from '../../../../emulator/key/virtual-key';
import {
  startHesStandIn,
  type HesStandInServer,
  type StartHesStandInOptions,
} from '../../../../emulator/hes/server';
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
import { keyFolder, TEST_HASH_COST, UsbHost } from '../../key/key-hosts';
import type { ProvisioningRecord } from '../../../../emulator/key/provision';

const closers: (() => Promise<void>)[] = [];

export async function closeAll(): Promise<void> {
  while (closers.length > 0) await closers.pop()?.();
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
  return server;
}

/** A JSON call to the admin REST API: status and parsed body (undefined when empty). */
export async function rest(
  server: { url: string },
  method: string,
  path: string,
  body?: unknown,
  rawBody?: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
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
    const usb = new UsbHost(key.hid);
    await usb.init();
    keys.push({ key, usb, record });
  }
  return { keys, records: folder.records };
}

/** How the test workstation answers EstablishRemoteHwVaultConnection. */
export type RelayMode =
  /** Opens /deviceHub and relays every command to the key. */
  | 'relay'
  /** Opens /deviceHub but never answers a command. */
  | 'silent'
  /** Never opens /deviceHub. */
  | 'ignore';

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

/** A minimal companion on one workstation. */
export class TestWorkstation {
  readonly pushes: Push[] = [];
  readonly deviceHubs: HubConnection[] = [];
  relayMode: RelayMode = 'relay';
  private readonly keys = new Map<string, UsbHost>();
  private pushWaiters: { match: (p: Push) => boolean; resolve: (p: Push) => void }[] = [];
  /** SendRemoteCommand requests received on any device hub, in order. */
  readonly commands: EncryptedRequest[] = [];
  private commandWaiters: (() => void)[] = [];

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

  /** The key this workstation relays to when the server asks for the vault `serialNo`. */
  attach(usb: UsbHost, serialNo: string): void {
    this.keys.set(serialNo, usb);
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
  async commandsReceived(count: number): Promise<void> {
    while (this.commands.length < count) {
      await new Promise<void>((resolve) => this.commandWaiters.push(resolve));
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

  private async openDeviceHub(serialNo: string): Promise<void> {
    if (this.relayMode === 'ignore') return;
    const deviceHub = hub(`${this.server.url}${DEVICE_HUB_PATH}`, {
      DeviceId: serialNo,
      WorkstationId: this.id,
    });
    this.deviceHubs.push(deviceHub);
    deviceHub.on('SendRemoteCommand', (request: EncryptedRequest) => {
      this.commands.push(request);
      for (const resolve of this.commandWaiters.splice(0)) resolve();
      if (this.relayMode === 'silent') return;
      void this.relay(deviceHub, serialNo, request).catch(() => undefined);
    });
    await deviceHub.start();
  }

  private async relay(
    deviceHub: HubConnection,
    serialNo: string,
    request: EncryptedRequest,
  ): Promise<void> {
    const usb = this.keys.get(serialNo);
    const buffer = (data: string) => ({ data, channelNo: HES_REMOTE_CHANNEL });
    if (!usb) {
      await deviceHub.invoke('RemoteCommandResponse', buffer(''), 'no such key here');
      return;
    }
    const response = await usb.request({
      command: Command.RemoteCommand,
      channel: HES_REMOTE_CHANNEL,
      sealed: bytesOf(request.buffer.data),
    });
    if ('sealed' in response) {
      await deviceHub.invoke('RemoteCommandResponse', buffer(base64Of(response.sealed)), null);
    } else {
      await deviceHub.invoke('RemoteCommandResponse', buffer(''), `key status ${response.status}`);
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

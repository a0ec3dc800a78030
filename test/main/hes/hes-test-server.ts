// A test peer playing HES's side over the real SignalR protocol: Q's SignalRServer
// (emulator/hes/signalr) with small hub definitions whose replies each test sets.
// Every AppHub and DeviceHub method of hes-contract.md §4.4/§4.7 is declared with
// its exact arity, so a missing argument fails as it would on HES.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignalRServer, type HubCaller, type HubDefinition } from '../../../emulator/hes/signalr';
import type { WorkstationInfoDto } from '../../../shared/hes/dto';

/** A waitable list: take() resolves with the first item matching, now or later. */
export class Inbox<T> {
  readonly items: T[] = [];
  private waiters: { match: (item: T) => boolean; resolve: (item: T) => void }[] = [];

  push(item: T): void {
    const waiter = this.waiters.find((w) => w.match(item));
    if (waiter) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(item);
    } else {
      this.items.push(item);
    }
  }

  take(match: (item: T) => boolean = () => true): Promise<T> {
    const index = this.items.findIndex(match);
    if (index >= 0) return Promise.resolve(this.items.splice(index, 1)[0] as T);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

export interface Call {
  readonly hub: string;
  readonly target: string;
  readonly args: readonly unknown[];
  readonly caller: HubCaller;
}

export type Reply = (args: readonly unknown[], caller: HubCaller) => unknown;

export const ok = (
  data: unknown = null,
): { code: number; message: string | null; data: unknown } => ({
  code: 0,
  message: data === null ? '' : null,
  data,
});
export const fail = (code: number, message = `Error (${code})`) => ({ code, message, data: null });

export const APP_HUB_METHODS: Readonly<Record<string, number>> = {
  RegisterWorkstationInfo: 1,
  SaveClientEvents: 1,
  GetHwVaultInfoByRfid: 1,
  GetHwVaultInfoByMac: 1,
  GetHwVaultInfoBySerialNo: 1,
  UpdateHwVaultProperties: 2,
  UpdateHwVaultStatus: 1,
  AuthHwVault: 1,
  UpdateHwVaultAccounts: 2,
  GetNewHwVaultLicenses: 1,
  HwVaultLicenseApplied: 2,
  GetHwVaultLicenses: 1,
};
export const DEVICE_HUB_METHODS: Readonly<Record<string, number>> = {
  RemoteCommandResponse: 2,
  VerifyCommandResponse: 2,
  GetRootKeyCommandResponse: 2,
};

export class TestHes {
  readonly calls = new Inbox<Call>();
  readonly connected = new Inbox<HubCaller>();
  readonly disconnected = new Inbox<HubCaller>();
  /** Replies by target; unset targets answer Ok without data. */
  readonly replies = new Map<string, Reply>();

  private constructor(
    readonly signalr: SignalRServer,
    readonly http: Server,
    readonly port: number,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(port = 0): Promise<TestHes> {
    // The hub handlers need the instance, which needs the server: filled in below.
    const holder: { self?: TestHes } = {};
    const hub = (path: string, methods: Readonly<Record<string, number>>): HubDefinition => ({
      methods: Object.fromEntries(
        Object.entries(methods).map(([target, arity]) => [
          target,
          {
            arity,
            handler: (caller: HubCaller, args: readonly unknown[]) => {
              holder.self!.calls.push({ hub: path, target, args, caller });
              const reply = holder.self!.replies.get(target);
              return reply === undefined ? ok() : reply(args, caller);
            },
          },
        ]),
      ),
      onConnected: (caller) => holder.self!.connected.push(caller),
      onDisconnected: (caller) => holder.self!.disconnected.push(caller),
    });
    const signalr = new SignalRServer({
      hubs: {
        '/appHub': hub('/appHub', APP_HUB_METHODS),
        '/deviceHub': hub('/deviceHub', DEVICE_HUB_METHODS),
      },
    });
    const http = createServer((req, res) => {
      if (!signalr.handleRequest(req, res)) res.writeHead(404).end();
    });
    signalr.attach(http);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, '127.0.0.1', resolve);
    });
    const self = new TestHes(signalr, http, (http.address() as AddressInfo).port);
    holder.self = self;
    return self;
  }

  /** The live AppHub connection (the only one in these tests). */
  appCaller(): HubCaller {
    const caller = this.signalr.connections('/appHub')[0];
    if (caller === undefined) throw new Error('no AppHub connection');
    return caller;
  }

  /** Next call of a target (on any hub). */
  next(target: string): Promise<Call> {
    return this.calls.take((c) => c.target === target);
  }

  async stop(): Promise<void> {
    await this.signalr.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

export const workstationInfo = (id = 'ignored'): WorkstationInfoDto => ({
  id,
  machineName: 'PC-01',
  domain: 'CORP',
  appVersion: '0.1.0',
  osName: 'Linux',
  osVersion: '6.8',
  osBuild: '6.8.0-1',
  ip: '10.0.0.5',
  mac: 'AA:BB:CC:DD:EE:FF',
  users: ['alice'],
  isAlarmTurnOn: false,
});

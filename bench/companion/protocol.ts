// The messages between the orchestrator (bench/run.ts, which also hosts the virtual
// keys and the HES stand-in) and the companion's own process (companion/host.ts).
// The companion runs alone in its process so that its CPU time, wake-ups and
// resident memory are its own. The key links cross the process boundary at the level
// the host libraries see: node-hid's device API and noble's bindings (bridge.ts).
import type { HidDeviceInfo } from '../../device/transport/hid';

export type Link = 'usb' | 'ble';

/**
 * The virtual Bluetooth adapters, one per key family. A real machine has one adapter
 * and the app one scanner for both families; the bench keeps them apart so that the
 * open-protocol BLE keys run on a TransportDiscovery it can wrap to count exchanges,
 * while Key 3s run through the app's own createBleKeyDiscovery. Only one family's
 * keys are on at a time, so neither adapter's scan delays the other's keys.
 */
export const BLE_ADAPTERS = ['open', 'key3'] as const;
export type BleAdapter = (typeof BLE_ADAPTERS)[number];

export type HostConfig =
  | {
      readonly mode: 'app';
      readonly dataDir: string;
      readonly serverUrl: string;
      /** Which discoveries the companion runs (production runs both). */
      readonly links: readonly Link[];
      /** Also look for Hideez Key 3s (on the 'key3' adapter), as the app's BLE discovery does. */
      readonly key3?: boolean;
    }
  | {
      readonly mode: 'audit';
      readonly dataDir: string;
      readonly serverUrl: string;
    };

/** One key as the bench follows it: the parts of its snapshot the flows end on. */
export interface KeyState {
  readonly serialNo: string;
  readonly connection: string;
  readonly step: string;
  readonly viewKind: string;
  readonly promptKind?: string;
  readonly lastResult?: string;
  readonly attemptsRemain?: number;
  readonly serverStatus?: string;
  readonly errorCode?: string | number;
}

export interface Usage {
  readonly at: number;
  /** process.cpuUsage(): user and system, µs. */
  readonly userUs: number;
  readonly systemUs: number;
  /** libuv event-loop iterations (each one a wake-up of the main thread). */
  readonly loops: number;
  readonly voluntarySwitches: number;
  readonly involuntarySwitches: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/**
 * One key exchange (or link open) seen by the counting transport wrapper, or for a
 * Hideez Key 3 by the counting trace (counting-trace.ts).
 */
export interface ExchangeRecord {
  readonly at: number;
  readonly link: Link;
  readonly transportId: string;
  /**
   * The request's command name (GetInfo, RemoteCommand, …), 'ping' or 'open'. A Key 3's
   * are its own (GETINFO, VERIFY, …); what it relays for the server is RemoteVerify
   * (the server's VERIFY) or RemoteCommand (a message on the server's channel).
   */
  readonly command: string;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly ms: number;
  readonly ok: boolean;
  /** Key 3 only: its channel and the 20-byte data packets each way. */
  readonly channel?: number;
  readonly packetsUp?: number;
  readonly packetsDown?: number;
}

export type HostCall =
  | { readonly c: 'submitCode'; readonly serialNo: string; readonly code: string }
  /** The PIN prompt answered; `newPin`: a first PIN (typed twice, the same). */
  | { readonly c: 'submitPin'; readonly serialNo: string; readonly pin: string }
  | { readonly c: 'submitNewPin'; readonly serialNo: string; readonly pin: string }
  /** A key switched off for good: the companion forgets it (forgetKey), as a user would. */
  | { readonly c: 'forgetKey'; readonly serialNo: string }
  | { readonly c: 'usage' }
  | { readonly c: 'gc' }
  /** process.getActiveResourcesInfo(), counted by kind (timers, sockets, …). */
  | { readonly c: 'resources' }
  /** The timer census (timer-census.ts); `trace`: record where timeouts are set from now on. */
  | { readonly c: 'timers'; readonly trace: boolean }
  | { readonly c: 'exchanges' }
  | { readonly c: 'workstationId' }
  | { readonly c: 'emit'; readonly count: number }
  | {
      readonly c: 'auditRecord';
      readonly count: number;
      readonly durability: 'process' | 'power-loss';
    }
  | { readonly c: 'auditFlush' }
  | { readonly c: 'stop' };

export interface AuditRecordResult {
  readonly ms: number;
  readonly pending: number;
}

export interface AuditFlushResult {
  readonly ms: number;
  readonly sent: number;
  readonly batches: number;
  readonly remaining: number;
  readonly failed: boolean;
}

/** Orchestrator → companion. */
export type ToHost =
  | { readonly t: 'start'; readonly config: HostConfig }
  | { readonly t: 'call'; readonly id: number; readonly call: HostCall }
  | { readonly t: 'hid.rows'; readonly req: number; readonly rows: HidDeviceInfo[] }
  | { readonly t: 'hid.opened'; readonly req: number; readonly handle: number }
  | { readonly t: 'hid.written'; readonly req: number; readonly bytes: number }
  | { readonly t: 'hid.failed'; readonly req: number; readonly message: string }
  | { readonly t: 'hid.data'; readonly handle: number; readonly report: Uint8Array }
  | { readonly t: 'hid.error'; readonly handle: number; readonly message: string }
  | { readonly t: 'usb.event'; readonly type: 'connect' | 'disconnect' }
  /** A hidraw node of the virtual bus appeared or went (as an inotify watch of /dev sees it). */
  | { readonly t: 'hid.node'; readonly name: string }
  | {
      readonly t: 'ble.event';
      readonly adapter: BleAdapter;
      readonly name: string;
      readonly args: readonly unknown[];
    }
  | { readonly t: 'noise'; readonly report: Uint8Array };

/** Companion → orchestrator. */
export type FromHost =
  | { readonly t: 'booted'; readonly usage: Usage }
  | { readonly t: 'ready'; readonly usage: Usage }
  | { readonly t: 'answer'; readonly id: number; readonly value: unknown }
  | { readonly t: 'failed'; readonly id: number; readonly message: string }
  | { readonly t: 'key'; readonly at: number; readonly key: KeyState }
  | { readonly t: 'server'; readonly at: number; readonly state: string }
  | { readonly t: 'hid.devices'; readonly req: number }
  | { readonly t: 'hid.open'; readonly req: number; readonly path: string }
  | {
      readonly t: 'hid.write';
      readonly req: number;
      readonly handle: number;
      readonly data: Uint8Array;
    }
  | { readonly t: 'hid.close'; readonly handle: number }
  | {
      readonly t: 'ble.call';
      readonly adapter: BleAdapter;
      readonly method: BleMethod;
      readonly args: readonly unknown[];
    }
  | { readonly t: 'noise'; readonly report: Uint8Array };

/** noble's bindings methods the virtual adapter implements (emulator/ble/virtual-ble-bindings.ts). */
export const BLE_METHODS = [
  'init',
  'setScanParameters',
  'startScanning',
  'stopScanning',
  'reset',
  'updateRssi',
  'connect',
  'cancelConnect',
  'disconnect',
  'discoverServices',
  'discoverIncludedServices',
  'discoverCharacteristics',
  'discoverDescriptors',
  'read',
  'write',
  'notify',
  'broadcast',
  'readValue',
  'writeValue',
  'readHandle',
  'writeHandle',
] as const;
export type BleMethod = (typeof BLE_METHODS)[number];

/** The events noble listens to on its bindings (lib/noble.js). */
export const BLE_EVENTS = [
  'stateChange',
  'addressChange',
  'scanParametersSet',
  'scanStart',
  'scanStop',
  'discover',
  'connect',
  'disconnect',
  'rssiUpdate',
  'servicesDiscover',
  'servicesDiscovered',
  'includedServicesDiscover',
  'characteristicsDiscover',
  'characteristicsDiscovered',
  'read',
  'write',
  'broadcast',
  'notify',
  'descriptorsDiscover',
  'valueRead',
  'valueWrite',
  'handleRead',
  'handleWrite',
  'handleNotify',
  'onMtu',
] as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Messages come from our own other process; a shape check keeps `unknown` honest. */
export const isToHost = (value: unknown): value is ToHost =>
  isObject(value) && typeof value['t'] === 'string';
export const isFromHost = (value: unknown): value is FromHost =>
  isObject(value) && typeof value['t'] === 'string';
export const isBleMethod = (value: unknown): value is BleMethod =>
  typeof value === 'string' && (BLE_METHODS as readonly string[]).includes(value);

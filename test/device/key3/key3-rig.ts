// The bench for the Key 3 link and driver tests: virtual Key 3s (optionally certified
// by another vendor key, optionally next to open-protocol keys and an unrelated
// Bluetooth device) in range of the virtual adapter under the REAL noble classes, the
// REAL BLE key discovery with the options a test needs (short back-offs, a trace, the
// real vendor key), and the REAL device manager over it. Waits are event-driven: a
// trace recorder that resolves on a matching record, a discovery log, and the
// adapter's own advertising as the clock for "nothing happened".
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { createBleKeyDiscovery } from '../../../device/discovery/ble-keys';
import type { KeyConnection, KeyDiscovery } from '../../../device/key/key-connection';
import { KeyOp } from '../../../device/key/key-operations';
import { TEST_VENDOR_PUBLIC_KEY } from '../../../device/key3/crypto/vendor-keys';
import type { Key3Options } from '../../../device/key3/driver/open-key3';
import type { Key3Trace, Key3TraceRecord } from '../../../device/key3/trace/key3-trace';
import { DeviceManager, type DeviceManagerOptions } from '../../../device/manager/device-manager';
import type { NobleLike } from '../../../device/transport/ble/noble-like';
import type { TransportDescriptor } from '../../../device/transport/transport';
import type { GattCharacteristicSpec } from '../../../emulator/ble/gatt-peripheral';
import type {
  VirtualBleBindings,
  VirtualBleBindingsOptions,
} from '../../../emulator/ble/virtual-ble-bindings';
import { createVirtualNoble } from '../../../emulator/ble/virtual-noble';
import {
  provisionKey3s,
  type Key3ProvisionOptions,
  type Key3ProvisioningRecord,
} from '../../../emulator/key3/provision-key3';
import { provisionKeys } from '../../../emulator/key/provision';
import { VirtualKey, type VirtualKeyOptions } from '../../../emulator/key/virtual-key';
import { TEST_HASH_COST } from '../../emulator/key/key-hosts';
import { WatchLog } from '../transport/ble/ble-bench';

/** Short limits for every test: no default 8 s connects, no 1 s BUSY back-offs. */
export const FAST_KEY3: Key3Options = {
  vendorPublicKey: TEST_VENDOR_PUBLIC_KEY,
  connectTimeoutsMs: [2_000, 1_000],
  link: { busyWaitMs: () => 5, busyLimitMs: 500 },
};

export const OPTS = { timeoutMs: 3_000 };

/** Records every trace record and resolves waits on them. */
export class TraceRecorder implements Key3Trace {
  readonly records: Key3TraceRecord[] = [];
  #waiters: { match: (r: Key3TraceRecord) => boolean; resolve: () => void }[] = [];
  /** Called synchronously on every record (a test's hook to act at an exact step). */
  onRecord: ((record: Key3TraceRecord) => void) | undefined;

  record(record: Key3TraceRecord): void {
    this.records.push(record);
    this.onRecord?.(record);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.match(record)) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves when a matching record arrives (or has arrived since `from`). */
  next(match: (r: Key3TraceRecord) => boolean, from = 0): Promise<void> {
    if (this.records.slice(from).some(match)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  get length(): number {
    return this.records.length;
  }

  /** Channel messages in order as "dir code" (e.g. "host→key a000"), on one channel. */
  messages(channel?: number): string[] {
    return this.records.flatMap((r) =>
      r.kind === 'message' && (channel === undefined || r.channel === channel)
        ? [`${r.dir === 'host→key' ? '>' : '<'} ${r.code}`]
        : [],
    );
  }
}

/**
 * Resolves once the key's STATUS after its last reply has arrived (a state change it
 * carries queues a GETINFO in the manager) and a ReadInfo queued behind all of that has
 * run: the key and the manager are idle, so a one-shot fault hits the next request.
 */
export async function idle(
  manager: DeviceManager,
  serialNo: string,
  trace: TraceRecorder,
): Promise<void> {
  const lastReply = trace.records.findLastIndex(
    (r) => r.kind === 'data' && r.dir === 'key→host' && r.last,
  );
  await trace.next(
    (r) => r.kind === 'control' && r.dir === 'key→host' && r.code === 'STATUS',
    lastReply + 1,
  );
  await manager.request(serialNo, { op: KeyOp.ReadInfo }, OPTS);
}

/** A record of a message on the wire with this command or reply code. */
export const isMessage =
  (dir: 'host→key' | 'key→host', code: string, channel = 1) =>
  (r: Key3TraceRecord): boolean =>
    r.kind === 'message' && r.dir === dir && r.code === code && r.channel === channel;

/**
 * A Bluetooth device that is not a key (a headset): it advertises, and is the
 * tests' clock for "nothing happened" — N of its advertisements have been heard.
 */
export class BeaconPeripheral extends EventEmitter {
  readonly id = 'b0b0b0b0b0b0';
  readonly address = 'b0:b0:b0:b0:b0:b0';
  readonly advertisement = { localName: 'HK-Headset', serviceUuids: ['180d'] };
  readonly rssi = -60;
  readonly advertising = true;
  readonly service = '180d';
  readonly characteristics: readonly GattCharacteristicSpec[] = [];
  connect(): Promise<void> {
    return Promise.reject(new Error('not connectable'));
  }
  disconnect(): Promise<void> {
    return Promise.resolve();
  }
  simulateLinkLoss(): void {}
  read(): Promise<Uint8Array> {
    return Promise.reject(new Error('no such characteristic'));
  }
  write(): Promise<void> {
    return Promise.reject(new Error('no such characteristic'));
  }
  subscribe(): () => void {
    throw new Error('no such characteristic');
  }
}

export interface Key3RigOptions {
  readonly count?: number;
  readonly key?: VirtualKeyOptions;
  readonly adapter?: VirtualBleBindingsOptions;
  readonly provision?: Key3ProvisionOptions;
  /** Open-protocol virtual keys in range too. */
  readonly openKeys?: number;
  /** An unrelated advertising device in range (the beacon). */
  readonly beacon?: boolean;
}

export interface Key3Rig {
  readonly keys: VirtualKey[];
  readonly openKeys: VirtualKey[];
  readonly records: Key3ProvisioningRecord[];
  readonly noble: NobleLike;
  readonly adapter: VirtualBleBindings;
  readonly beacon: BeaconPeripheral | undefined;
  /** noble id of a virtual key (its address without colons). */
  idOf(key: VirtualKey): string;
  /** The real BLE key discovery over the rig's noble, with FAST_KEY3 and `key3` on top. */
  discovery(options?: { key3?: Partial<Key3Options> | false; staleAfterMs?: number }): KeyDiscovery;
  /** A started device manager over `discovery`, stopped by cleanup(). */
  manager(discovery: KeyDiscovery, options?: Partial<DeviceManagerOptions>): DeviceManager;
  /** Watches `discovery` into a log; stopped by cleanup(). */
  watch(discovery: KeyDiscovery): WatchLog;
  /** Opens a key once `log` has it (first `added` at or after `from`), straight through the discovery. */
  open(
    discovery: KeyDiscovery,
    log: WatchLog,
    key: VirtualKey,
    from?: number,
  ): Promise<KeyConnection>;
  /**
   * Opens the key again with the descriptor the discovery announces for it now: the same
   * one after a failed open (the key stays seen), a new one once a lost link made the
   * discovery forget it and the next advertisement announced it again.
   */
  reopen(discovery: KeyDiscovery, log: WatchLog, key: VirtualKey): Promise<KeyConnection>;
  /** Resolves once the adapter has advertised the beacon `count` more times. */
  advertisements(count: number): Promise<void>;
  cleanup(): Promise<void>;
}

export async function key3Rig(options: Key3RigOptions = {}): Promise<Key3Rig> {
  const dir = await mkdtemp(join(tmpdir(), 'key3-rig-'));
  const records = await provisionKey3s(dir, options.count ?? 1, options.provision);
  const keys = await VirtualKey.openFolder(dir, { hashCost: TEST_HASH_COST, ...options.key });
  let openKeys: VirtualKey[] = [];
  const openDir = join(dir, 'open');
  if (options.openKeys) {
    await provisionKeys(openDir, options.openKeys);
    openKeys = await VirtualKey.openFolder(openDir, { hashCost: TEST_HASH_COST });
  }
  const { noble, adapter } = createVirtualNoble({ advertisingIntervalMs: 10, ...options.adapter });
  const ids = new Map<VirtualKey, string>();
  for (const key of [...keys, ...openKeys]) ids.set(key, adapter.addPeripheral(key));
  const beacon = options.beacon ? new BeaconPeripheral() : undefined;
  if (beacon) adapter.addPeripheral(beacon);
  const managers: DeviceManager[] = [];
  const unwatch: (() => void)[] = [];
  return {
    keys,
    openKeys,
    records,
    noble,
    adapter,
    beacon,
    idOf(key) {
      const id = ids.get(key);
      if (id === undefined) throw new Error('not a key of this rig');
      return id;
    },
    discovery(extra = {}) {
      return createBleKeyDiscovery({
        noble,
        key3: extra.key3 === false ? false : { ...FAST_KEY3, ...extra.key3 },
        openProtocol: { connectTimeoutsMs: [2_000, 1_000] },
        ...(extra.staleAfterMs !== undefined ? { staleAfterMs: extra.staleAfterMs } : {}),
      });
    },
    manager(discovery, managerOptions = {}) {
      const manager = new DeviceManager({
        discoveries: [discovery],
        infoTimeoutMs: 2_000,
        reconnectDelayMs: 10,
        graceMs: 300,
        ...managerOptions,
      });
      managers.push(manager);
      manager.start();
      return manager;
    },
    watch(discovery) {
      const log = new WatchLog();
      unwatch.push(
        discovery.watch({
          added: (descriptor) => log.push({ type: 'added', descriptor }),
          removed: (id) => log.push({ type: 'removed', id }),
          availability: (availability) => log.push({ type: 'availability', availability }),
        }),
      );
      return log;
    },
    async open(discovery, log, key, from) {
      const descriptor: TransportDescriptor = await log.added(ids.get(key), from);
      return discovery.open(descriptor, { infoTimeoutMs: 2_000 });
    },
    async reopen(discovery, log, key) {
      const id = ids.get(key);
      if (id === undefined) throw new Error('not a key of this rig');
      const events = log.events;
      const lastAdded = events.findLastIndex((e) => e.type === 'added' && e.descriptor.id === id);
      const lastRemoved = events.findLastIndex((e) => e.type === 'removed' && e.id === id);
      const descriptor = await log.added(id, lastAdded > lastRemoved ? lastAdded : lastRemoved + 1);
      return discovery.open(descriptor, { infoTimeoutMs: 2_000 });
    },
    advertisements(count) {
      if (!beacon) return Promise.reject(new Error('the rig has no beacon'));
      return new Promise((resolve) => {
        let heard = 0;
        const onDiscover = (id: string): void => {
          if (id !== beacon.id || ++heard < count) return;
          adapter.removeListener('discover', onDiscover);
          resolve();
        };
        adapter.on('discover', onDiscover);
      });
    },
    async cleanup() {
      for (const stop of unwatch.splice(0)) stop();
      await Promise.all(managers.splice(0).map((m) => m.stop()));
      for (const key of [...keys, ...openKeys]) key.unplug();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

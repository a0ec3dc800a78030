// The bench for BLE transport tests: provisioned virtual keys in a temp
// folder, a virtual adapter (custom noble bindings) with those keys in range,
// a REAL noble built over it, and our BLE discovery watching it. Waits are
// event-driven; nothing here measures time.
import {
  createBleDiscovery,
  type BleDiscoveryOptions,
} from '../../../../device/transport/ble/ble-discovery';
import { decodeResponse, encodeRequest } from '../../../../device/protocol/message-codec';
import type { Request, Response } from '../../../../device/protocol/messages';
import type {
  LinkAvailability,
  Transport,
  TransportDescriptor,
  TransportDiscovery,
} from '../../../../device/transport/transport';
import type { BleLinkModel } from '../../../../emulator/ble/link-model';
import type { VirtualBleBindings } from '../../../../emulator/ble/virtual-ble-bindings';
import { createVirtualNoble } from '../../../../emulator/ble/virtual-noble';
import type { NobleState } from '../../../../device/transport/ble/noble-like';
import { VirtualKey } from '../../../../emulator/key/virtual-key';
import { keyFolder, TEST_HASH_COST, TestServer } from '../../../emulator/key/key-hosts';

export type WatchEvent =
  | { readonly type: 'added'; readonly descriptor: TransportDescriptor }
  | { readonly type: 'removed'; readonly id: string }
  | { readonly type: 'availability'; readonly availability: LinkAvailability };

/** Everything a discovery told its observer, in order, waitable. */
export class WatchLog {
  readonly events: WatchEvent[] = [];
  #waiters: {
    match: (e: WatchEvent) => boolean;
    resolve: (e: WatchEvent) => void;
    from: number;
  }[] = [];

  push(event: WatchEvent): void {
    this.events.push(event);
    const index = this.events.length - 1;
    this.#waiters = this.#waiters.filter((w) => {
      if (index < w.from || !w.match(event)) return true;
      w.resolve(event);
      return false;
    });
  }

  /** The first event matching at or after position `from` (default: since the start), now or later. */
  next(match: (e: WatchEvent) => boolean, from = 0): Promise<WatchEvent> {
    const found = this.events.slice(from).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ match, resolve, from }));
  }

  async added(id?: string, from?: number): Promise<TransportDescriptor> {
    const event = await this.next(
      (e) => e.type === 'added' && (id === undefined || e.descriptor.id === id),
      from,
    );
    if (event.type !== 'added') throw new Error('unreachable');
    return event.descriptor;
  }

  async removed(id: string, from?: number): Promise<void> {
    await this.next((e) => e.type === 'removed' && e.id === id, from);
  }

  async availability(state: LinkAvailability['state'], from?: number): Promise<LinkAvailability> {
    const event = await this.next(
      (e) => e.type === 'availability' && e.availability.state === state,
      from,
    );
    if (event.type !== 'availability') throw new Error('unreachable');
    return event.availability;
  }
}

export function watchLog(discovery: TransportDiscovery): { log: WatchLog; stop: () => void } {
  const log = new WatchLog();
  const stop = discovery.watch({
    added: (descriptor) => log.push({ type: 'added', descriptor }),
    removed: (id) => log.push({ type: 'removed', id }),
    availability: (availability) => log.push({ type: 'availability', availability }),
  });
  return { log, stop };
}

export interface BleBench {
  readonly keys: VirtualKey[];
  readonly servers: Map<string, TestServer>;
  readonly adapter: VirtualBleBindings;
  readonly discovery: ReturnType<typeof createBleDiscovery>;
  readonly log: WatchLog;
  /** noble id of each key (its address without colons), by serial number. */
  readonly ids: Map<string, string>;
  /** Waits for the key to be advertised, then opens it. */
  open(key: VirtualKey): Promise<Transport>;
  cleanup(): Promise<void>;
}

export interface BenchOptions {
  readonly keys?: number;
  readonly state?: NobleState;
  readonly linkModel?: Partial<BleLinkModel>;
  readonly discovery?: Omit<BleDiscoveryOptions, 'noble'>;
}

export async function bleBench(options: BenchOptions = {}): Promise<BleBench> {
  const folder = await keyFolder(options.keys ?? 1);
  const keys = await VirtualKey.openFolder(folder.dir, { hashCost: TEST_HASH_COST });
  const servers = new Map<string, TestServer>();
  for (const record of folder.records) servers.set(record.serialNo, new TestServer(record));
  const { noble, adapter } = createVirtualNoble({
    ...(options.state ? { state: options.state } : {}),
    ...(options.linkModel ? { linkModel: options.linkModel } : {}),
    advertisingIntervalMs: 20,
  });
  const ids = new Map<string, string>();
  for (const key of keys) ids.set(key.serialNo, adapter.addPeripheral(key));
  const discovery = createBleDiscovery({ ...options.discovery, noble });
  const { log, stop } = watchLog(discovery);
  const opened: Transport[] = [];
  return {
    keys,
    servers,
    adapter,
    discovery,
    log,
    ids,
    async open(key) {
      const descriptor = await log.added(ids.get(key.serialNo));
      const transport = await discovery.open(descriptor);
      opened.push(transport);
      return transport;
    },
    async cleanup() {
      await Promise.all(opened.map((t) => t.close()));
      stop();
      for (const key of keys) key.unplug();
      await folder.cleanup();
    },
  };
}

export const idOf = (bench: BleBench, key: VirtualKey): string => {
  const id = bench.ids.get(key.serialNo);
  if (id === undefined) throw new Error('unknown key');
  return id;
};

/** A KeyHost (test/emulator/key/key-hosts.ts) over our Transport: requests as encoded messages. */
export class TransportHost {
  constructor(
    readonly transport: Transport,
    readonly timeoutMs = 15_000,
  ) {}

  async request(request: Request): Promise<Response> {
    const answer = await this.transport.exchange(encodeRequest(request), {
      timeoutMs: this.timeoutMs,
    });
    return decodeResponse(request.command, answer);
  }
}

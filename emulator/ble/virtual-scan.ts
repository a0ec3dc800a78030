// The virtual adapter's scan: while it runs (and the adapter is on), every
// advertising key in range is heard once per advertising interval, as noble's
// hci-socket bindings report it ('discover', with the same arguments), filtered
// by the service UUIDs the host asked for.
import type { Slot } from './adapter-slot';
import { normaliseUuid } from './virtual-gatt';

/** Emits one of noble's binding events. */
export type EmitBinding = (event: string, ...args: unknown[]) => void;

export interface VirtualScanHost {
  /** How often a scanning adapter hears each advertising key. */
  readonly advertisingIntervalMs: number;
  readonly slots: () => Iterable<Slot>;
  readonly poweredOn: () => boolean;
  readonly emit: EmitBinding;
}

export class VirtualScan {
  #filter: readonly string[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly host: VirtualScanHost) {}

  start(serviceUuids: string[] | undefined, allowDuplicates: boolean): void {
    this.#filter = (serviceUuids ?? []).map(normaliseUuid);
    this.halt();
    setImmediate(() => {
      this.host.emit('scanStart', !allowDuplicates);
      this.#advertise();
    });
    this.#timer = setInterval(() => this.#advertise(), this.host.advertisingIntervalMs);
  }

  /** The host stops scanning: noble hears 'scanStop' if a scan was running. */
  stop(): void {
    const wasScanning = this.#timer !== undefined;
    this.halt();
    if (wasScanning) setImmediate(() => this.host.emit('scanStop'));
  }

  /** Stops hearing keys without a word (the adapter left poweredOn). */
  halt(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #advertise(): void {
    if (!this.host.poweredOn() || this.#timer === undefined) return;
    const filter = this.#filter;
    for (const slot of this.host.slots()) {
      const peripheral = slot.current();
      if (!peripheral?.advertising) continue;
      const { localName, serviceUuids } = peripheral.advertisement;
      if (filter.length > 0 && !serviceUuids.some((u) => filter.includes(normaliseUuid(u))))
        continue;
      const advertisement = {
        localName,
        serviceUuids: [...serviceUuids],
        serviceData: [],
        manufacturerData: undefined,
        txPowerLevel: undefined,
      };
      this.host.emit(
        'discover',
        slot.id,
        slot.address,
        'random',
        true,
        advertisement,
        peripheral.rssi,
        true,
      );
    }
  }
}

// Custom noble bindings over virtual keys: a Bluetooth adapter in software.
// `@abandonware/noble/with-bindings` builds a real Noble over it, so the real
// Noble, Peripheral, Service and Characteristic classes run against the
// virtual key's GATT side (any VirtualGattPeripheral: the open protocol's or a
// Key 3's). The method names and the events emitted back (name and argument
// order) are those of noble's lib/hci-socket/bindings.js. Fault hooks: adapter
// states, link loss, a key that stops answering, writes that never leave the
// adapter, connects that get no answer, notifications injected, rewritten or
// dropped on their way to the host.
// noble takes its bindings as one object, so this class is that object: the
// adapter's state, the test controls and the connections are here, over the GATT
// calls on a connected key (VirtualGattBindings, virtual-gatt.ts); the per-key
// slots and links are adapter-slot.ts, and the scan virtual-scan.ts.
import type { NobleState } from '../../device/transport/ble/noble-like';
import {
  closeLink,
  createSlot,
  openLink,
  type NotificationTamper,
  type PeripheralSource,
  type Slot,
} from './adapter-slot';
import type { VirtualGattPeripheral } from './gatt-peripheral';
import { DEFAULT_LINK_MODEL, type BleLinkModel } from './link-model';
import { VirtualGattBindings } from './virtual-gatt';
import { VirtualScan } from './virtual-scan';

export type { NotificationTamper, PeripheralSource } from './adapter-slot';

export interface VirtualBleBindingsOptions {
  /** The state init() reports: e.g. 'unsupported' or 'unauthorized' for those paths. */
  readonly state?: NobleState;
  readonly linkModel?: Partial<BleLinkModel>;
  /** How often a scanning adapter hears each advertising key. */
  readonly advertisingIntervalMs?: number;
}

/** HCI reasons noble passes with 'disconnect'. */
const HCI_CONNECTION_TIMEOUT = 0x08;
const HCI_LOCAL_HOST_TERMINATED = 0x16;

export class VirtualBleBindings extends VirtualGattBindings {
  #state: NobleState;
  #model: BleLinkModel;
  readonly #slots = new Map<string, Slot>();
  readonly #scan: VirtualScan;

  constructor(options: VirtualBleBindingsOptions = {}) {
    super();
    this.#state = options.state ?? 'poweredOn';
    this.#model = { ...DEFAULT_LINK_MODEL, ...options.linkModel };
    this.#scan = new VirtualScan({
      advertisingIntervalMs: options.advertisingIntervalMs ?? 50,
      slots: () => this.#slots.values(),
      poweredOn: () => this.#state === 'poweredOn',
      emit: (event, ...args) => void this.emit(event, ...args),
    });
  }

  // ---- test controls -------------------------------------------------------

  /** Puts a key in range. Returns its noble id (the address without colons). */
  addPeripheral(source: PeripheralSource): string {
    const slot = createSlot(source);
    this.#slots.set(slot.id, slot);
    return slot.id;
  }

  get linkModel(): BleLinkModel {
    return this.#model;
  }

  /** Applies to packets from now on; the MTU applies to the next connect. */
  setLinkModel(model: Partial<BleLinkModel>): void {
    this.#model = { ...this.#model, ...model };
  }

  get state(): NobleState {
    return this.#state;
  }

  /** The adapter changes state; leaving poweredOn drops every link and the scan. */
  setAdapterState(state: NobleState): void {
    if (state === this.#state) return;
    this.#state = state;
    if (state !== 'poweredOn') {
      this.#scan.halt();
      for (const slot of this.#slots.values()) this.#drop(slot, HCI_CONNECTION_TIMEOUT, true);
    }
    setImmediate(() => this.emit('stateChange', state));
  }

  /** The key goes out of range mid-connection. */
  loseLink(id: string): void {
    this.slot(id)?.link?.peripheral.simulateLinkLoss();
  }

  /** A key that stops answering: no connect, GATT answer or notification gets through. */
  setUnresponsive(id: string, unresponsive: boolean): void {
    const slot = this.slot(id);
    if (slot) slot.unresponsive = unresponsive;
  }

  /**
   * Writes to this key stall in the adapter: never sent, never confirmed, until the
   * link drops (a stack whose send buffers stay full until the supervision timeout).
   */
  stallWrites(id: string, stalled: boolean): void {
    const slot = this.slot(id);
    if (slot) slot.stalled = stalled;
  }

  /** The next `count` connect requests to this key get no answer (it is busy or far away). */
  ignoreNextConnects(id: string, count: number): void {
    const slot = this.slot(id);
    if (slot) slot.ignoreConnects = count;
  }

  /**
   * Every notification the key sends from now on passes `tamper` first: it returns
   * the packet the host receives (rewritten, or another one) or undefined to drop it.
   * Injected notifications are not tampered with. Undefined stops tampering.
   */
  tamperNotifications(id: string, tamper: NotificationTamper | undefined): void {
    const slot = this.slot(id);
    if (slot) slot.tamper = tamper;
  }

  connectAttempts(id: string): number {
    return this.slot(id)?.connectAttempts ?? 0;
  }

  isConnected(id: string): boolean {
    return this.slot(id)?.link !== undefined;
  }

  // ---- noble bindings: adapter and scanning ---------------------------------

  init(): void {
    setImmediate(() => this.emit('stateChange', this.#state));
  }

  setScanParameters(): void {
    setImmediate(() => this.emit('scanParametersSet'));
  }

  startScanning(serviceUuids: string[] | undefined, allowDuplicates: boolean): void {
    this.#scan.start(serviceUuids, allowDuplicates);
  }

  stopScanning(): void {
    this.#scan.stop();
  }

  reset(): void {
    this.stopScanning();
  }

  updateRssi(id: string): void {
    const peripheral = this.slot(id)?.link?.peripheral;
    if (peripheral) setImmediate(() => this.emit('rssiUpdate', id, peripheral.rssi));
  }

  // ---- noble bindings: connections ---------------------------------------

  connect(id: string): void {
    const slot = this.slot(id);
    if (!slot) return;
    slot.connectAttempts += 1;
    if (this.#state !== 'poweredOn') {
      setImmediate(() => this.emit('connect', id, new Error('Bluetooth adapter is not on')));
      return;
    }
    if (slot.ignoreConnects > 0) {
      slot.ignoreConnects -= 1;
      return;
    }
    const peripheral = slot.current();
    // Out of range or not answering: a real controller keeps trying until the host gives up.
    if (!peripheral?.advertising || slot.unresponsive) return;
    const token = ++slot.connectToken;
    const { mtu } = this.#model;
    peripheral.connect(mtu).then(
      () => {
        if (slot.connectToken !== token) return void peripheral.disconnect();
        this.#attach(slot, peripheral);
        this.emit('connect', id, null);
        this.emit('onMtu', id, mtu);
      },
      (error: unknown) => {
        if (slot.connectToken === token) this.emit('connect', id, error);
      },
    );
  }

  cancelConnect(id: string): void {
    const slot = this.slot(id);
    if (slot) slot.connectToken += 1;
  }

  disconnect(id: string): void {
    const slot = this.slot(id);
    if (slot) this.#drop(slot, HCI_LOCAL_HOST_TERMINATED, true);
  }

  // ---- noble bindings: GATT: VirtualGattBindings (virtual-gatt.ts) --------

  broadcast(): void {
    // Not supported by the key; noble never gets an answer, as with a real refusal.
  }

  readValue(): void {
    // The key's characteristics have no descriptors.
  }

  writeValue(): void {
    // The key's characteristics have no descriptors.
  }

  readHandle(): void {
    // Handle-level access is not modelled.
  }

  writeHandle(): void {
    // Handle-level access is not modelled.
  }

  // ---- internals -----------------------------------------------------------

  protected override slot(id: string): Slot | undefined {
    return this.#slots.get(id);
  }

  #attach(slot: Slot, peripheral: VirtualGattPeripheral): void {
    openLink(
      slot,
      peripheral,
      () => this.#model,
      () => this.#drop(slot, HCI_CONNECTION_TIMEOUT, false),
    );
  }

  /** Ends a link: from our side (hangUp: tell the key) or because the key went away. */
  #drop(slot: Slot, reason: number, hangUp: boolean): void {
    const link = closeLink(slot);
    if (!link) return;
    if (hangUp) void link.peripheral.disconnect();
    // At once, not later: a later 'disconnect' could land on the next connection.
    this.emit('disconnect', slot.id, reason);
  }
}

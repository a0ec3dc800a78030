// Custom noble bindings over virtual keys: a Bluetooth adapter in software.
// `@abandonware/noble/with-bindings` builds a real Noble over it, so the real
// Noble, Peripheral, Service and Characteristic classes run against the
// virtual key's GATT side (any VirtualGattPeripheral: the open protocol's or a
// Key 3's). The method names and the events emitted back (name and argument
// order) are those of noble's lib/hci-socket/bindings.js. Fault hooks: adapter
// states, link loss, a key that stops answering, writes that never leave the
// adapter, connects that get no answer, notifications injected, rewritten or
// dropped on their way to the host.
// One class past 400 lines on purpose: noble takes its bindings as one object, and the
// test controls act on the same per-key slots the binding methods use.
import { EventEmitter } from 'node:events';
import type { NobleState } from '../../device/transport/ble/noble-like';
import type { GattProperty, VirtualGattPeripheral } from './gatt-peripheral';
import { DEFAULT_LINK_MODEL, PacketPacer, type BleLinkModel } from './link-model';

/** Where a key's peripheral is: a VirtualKey has a new one after each replug. */
export type PeripheralSource =
  VirtualGattPeripheral | { readonly plugged: boolean; readonly gatt: VirtualGattPeripheral };

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

interface Link {
  readonly peripheral: VirtualGattPeripheral;
  readonly pacer: PacketPacer;
  readonly onLoss: () => void;
  /** Notification subscriptions by characteristic. */
  readonly subscriptions: Map<string, () => void>;
}

interface Slot {
  readonly id: string;
  readonly address: string;
  readonly current: () => VirtualGattPeripheral | undefined;
  link: Link | undefined;
  unresponsive: boolean;
  /** Writes are never sent nor confirmed (the controller's buffers stay full). */
  stalled: boolean;
  ignoreConnects: number;
  connectAttempts: number;
  /** Bumped by cancelConnect and disconnect, so a late connect answer is dropped. */
  connectToken: number;
  /** Rewrites (or, returning undefined, drops) each notification the key sends. */
  tamper: NotificationTamper | undefined;
}

/** A test's hand on the air: the packet the host receives instead, or undefined to drop it. */
export type NotificationTamper = (packet: Uint8Array) => Uint8Array | undefined;

const normalise = (uuid: string): string => uuid.toLowerCase().replaceAll('-', '');

export class VirtualBleBindings extends EventEmitter {
  #state: NobleState;
  #model: BleLinkModel;
  readonly #slots = new Map<string, Slot>();
  #scanFilter: readonly string[] | undefined;
  #scanTimer: NodeJS.Timeout | undefined;
  readonly #advertisingIntervalMs: number;

  constructor(options: VirtualBleBindingsOptions = {}) {
    super();
    this.#state = options.state ?? 'poweredOn';
    this.#model = { ...DEFAULT_LINK_MODEL, ...options.linkModel };
    this.#advertisingIntervalMs = options.advertisingIntervalMs ?? 50;
  }

  // ---- test controls -------------------------------------------------------

  /** Puts a key in range. Returns its noble id (the address without colons). */
  addPeripheral(source: PeripheralSource): string {
    const current = (): VirtualGattPeripheral | undefined =>
      'plugged' in source ? (source.plugged ? source.gatt : undefined) : source;
    const first = current();
    if (!first) throw new Error('The key must be plugged in when added');
    const slot: Slot = {
      id: first.id,
      address: first.address,
      current,
      link: undefined,
      unresponsive: false,
      stalled: false,
      ignoreConnects: 0,
      connectAttempts: 0,
      connectToken: 0,
      tamper: undefined,
    };
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
      this.#stopAdvertising();
      for (const slot of this.#slots.values()) this.#drop(slot, HCI_CONNECTION_TIMEOUT, true);
    }
    setImmediate(() => this.emit('stateChange', state));
  }

  /** The key goes out of range mid-connection. */
  loseLink(id: string): void {
    this.#slot(id)?.link?.peripheral.simulateLinkLoss();
  }

  /** A key that stops answering: no connect, GATT answer or notification gets through. */
  setUnresponsive(id: string, unresponsive: boolean): void {
    const slot = this.#slot(id);
    if (slot) slot.unresponsive = unresponsive;
  }

  /**
   * Writes to this key stall in the adapter: never sent, never confirmed, until the
   * link drops (a stack whose send buffers stay full until the supervision timeout).
   */
  stallWrites(id: string, stalled: boolean): void {
    const slot = this.#slot(id);
    if (slot) slot.stalled = stalled;
  }

  /** The next `count` connect requests to this key get no answer (it is busy or far away). */
  ignoreNextConnects(id: string, count: number): void {
    const slot = this.#slot(id);
    if (slot) slot.ignoreConnects = count;
  }

  /**
   * A notification the key did not send (garbage, a stray ERROR): the host must cope.
   * On the key's first notifying characteristic unless one is named.
   */
  injectNotification(id: string, fragment: Uint8Array, characteristic?: string): void {
    const link = this.#slot(id)?.link;
    if (!link) return;
    const { service, characteristics } = link.peripheral;
    const target =
      characteristic ?? characteristics.find((c) => c.properties.includes('notify'))?.uuid;
    if (target === undefined) return;
    link.pacer.push(() => this.emit('read', id, service, target, Buffer.from(fragment), true));
  }

  /**
   * Every notification the key sends from now on passes `tamper` first: it returns
   * the packet the host receives (rewritten, or another one) or undefined to drop it.
   * Injected notifications are not tampered with. Undefined stops tampering.
   */
  tamperNotifications(id: string, tamper: NotificationTamper | undefined): void {
    const slot = this.#slot(id);
    if (slot) slot.tamper = tamper;
  }

  connectAttempts(id: string): number {
    return this.#slot(id)?.connectAttempts ?? 0;
  }

  isConnected(id: string): boolean {
    return this.#slot(id)?.link !== undefined;
  }

  // ---- noble bindings: adapter and scanning ---------------------------------

  init(): void {
    setImmediate(() => this.emit('stateChange', this.#state));
  }

  setScanParameters(): void {
    setImmediate(() => this.emit('scanParametersSet'));
  }

  startScanning(serviceUuids: string[] | undefined, allowDuplicates: boolean): void {
    this.#scanFilter = (serviceUuids ?? []).map(normalise);
    this.#stopAdvertising();
    setImmediate(() => {
      this.emit('scanStart', !allowDuplicates);
      this.#advertise();
    });
    this.#scanTimer = setInterval(() => this.#advertise(), this.#advertisingIntervalMs);
  }

  stopScanning(): void {
    const wasScanning = this.#scanTimer !== undefined;
    this.#stopAdvertising();
    if (wasScanning) setImmediate(() => this.emit('scanStop'));
  }

  reset(): void {
    this.stopScanning();
  }

  updateRssi(id: string): void {
    const peripheral = this.#slot(id)?.link?.peripheral;
    if (peripheral) setImmediate(() => this.emit('rssiUpdate', id, peripheral.rssi));
  }

  // ---- noble bindings: connections ---------------------------------------

  connect(id: string): void {
    const slot = this.#slot(id);
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
    const slot = this.#slot(id);
    if (slot) slot.connectToken += 1;
  }

  disconnect(id: string): void {
    const slot = this.#slot(id);
    if (slot) this.#drop(slot, HCI_LOCAL_HOST_TERMINATED, true);
  }

  // ---- noble bindings: GATT ------------------------------------------------

  discoverServices(id: string, uuids: string[] | undefined): void {
    const peripheral = this.#live(id)?.peripheral;
    if (!peripheral) return;
    const wanted = (uuids ?? []).map(normalise);
    const services = [peripheral.service].filter((u) => wanted.length === 0 || wanted.includes(u));
    this.#answer(id, () => this.emit('servicesDiscover', id, services));
  }

  discoverIncludedServices(id: string, serviceUuid: string): void {
    this.#answer(id, () => this.emit('includedServicesDiscover', id, serviceUuid, []));
  }

  discoverCharacteristics(id: string, serviceUuid: string, uuids: string[] | undefined): void {
    const peripheral = this.#live(id)?.peripheral;
    if (!peripheral || normalise(serviceUuid) !== peripheral.service) return;
    const wanted = (uuids ?? []).map(normalise);
    const found = peripheral.characteristics
      .filter((c) => wanted.length === 0 || wanted.includes(c.uuid))
      .map((c) => ({ uuid: c.uuid, properties: [...c.properties] }));
    this.#answer(id, () => this.emit('characteristicsDiscover', id, serviceUuid, found));
  }

  discoverDescriptors(id: string, serviceUuid: string, characteristicUuid: string): void {
    this.#answer(id, () =>
      this.emit('descriptorsDiscover', id, serviceUuid, characteristicUuid, []),
    );
  }

  read(id: string, serviceUuid: string, characteristicUuid: string): void {
    const link = this.#live(id);
    if (!link || !this.#allows(link, characteristicUuid, 'read')) return;
    link.peripheral.read(characteristicUuid).then(
      (bytes) =>
        this.#answer(id, () =>
          this.emit('read', id, serviceUuid, characteristicUuid, Buffer.from(bytes), false),
        ),
      // An ATT error: hci-socket's gatt hands the read back empty.
      () =>
        this.#answer(id, () =>
          this.emit('read', id, serviceUuid, characteristicUuid, Buffer.alloc(0), false),
        ),
    );
  }

  write(
    id: string,
    serviceUuid: string,
    characteristicUuid: string,
    data: Uint8Array,
    withoutResponse: boolean,
  ): void {
    // Not #live: a write without response leaves the host even when the key stopped answering.
    const link = this.#slot(id)?.link;
    const property = withoutResponse ? 'writeWithoutResponse' : 'write';
    if (!link || !this.#allows(link, characteristicUuid, property)) return;
    const value = Uint8Array.from(data);
    link.pacer.push(() => {
      const slot = this.#slot(id);
      if (slot?.stalled) return;
      // Without response, hci-socket confirms the write once it has gone out, not when the key
      // took it: so also to a key that stopped answering (it only never sees the packet).
      if (withoutResponse) this.emit('write', id, serviceUuid, characteristicUuid);
      if (slot?.unresponsive) return;
      link.peripheral.write(characteristicUuid, value, withoutResponse).then(
        () => {
          if (!withoutResponse && this.#slot(id)?.link === link) {
            this.emit('write', id, serviceUuid, characteristicUuid);
          }
        },
        () => undefined, // refused, or the link dropped meanwhile: 'disconnect' tells noble
      );
    });
  }

  notify(id: string, serviceUuid: string, characteristicUuid: string, enable: boolean): void {
    const link = this.#live(id);
    if (!link || !this.#allows(link, characteristicUuid, 'notify')) return;
    link.subscriptions.get(characteristicUuid)?.();
    link.subscriptions.delete(characteristicUuid);
    if (enable) {
      link.subscriptions.set(
        characteristicUuid,
        link.peripheral.subscribe(characteristicUuid, (value) => {
          const slot = this.#slot(id);
          if (slot?.unresponsive) return;
          const packet = slot?.tamper ? slot.tamper(Uint8Array.from(value)) : value;
          if (packet === undefined) return;
          link.pacer.push(() =>
            this.emit('read', id, serviceUuid, characteristicUuid, Buffer.from(packet), true),
          );
        }),
      );
    }
    this.#answer(id, () => this.emit('notify', id, serviceUuid, characteristicUuid, enable));
  }

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

  /** A real stack answers an operation the characteristic lacks with an ATT error: here, silence. */
  #allows(link: Link, characteristic: string, property: GattProperty): boolean {
    return link.peripheral.characteristics.some(
      (c) => c.uuid === characteristic && c.properties.includes(property),
    );
  }

  #slot(id: string): Slot | undefined {
    return this.#slots.get(id);
  }

  /** The link, if it is up and the key still answers. */
  #live(id: string): Link | undefined {
    const slot = this.#slot(id);
    return slot && !slot.unresponsive ? slot.link : undefined;
  }

  /** Sends a GATT answer over the link (paced), unless the key stopped answering. */
  #answer(id: string, emit: () => void): void {
    const link = this.#live(id);
    if (!link) return;
    link.pacer.push(() => {
      if (this.#live(id) === link) emit();
    });
  }

  #attach(slot: Slot, peripheral: VirtualGattPeripheral): void {
    const onLoss = (): void => this.#drop(slot, HCI_CONNECTION_TIMEOUT, false);
    peripheral.once('disconnect', onLoss);
    slot.link = {
      peripheral,
      pacer: new PacketPacer(() => this.#model),
      onLoss,
      subscriptions: new Map(),
    };
  }

  /** Ends a link: from our side (hangUp: tell the key) or because the key went away. */
  #drop(slot: Slot, reason: number, hangUp: boolean): void {
    slot.connectToken += 1;
    const link = slot.link;
    if (!link) return;
    slot.link = undefined;
    link.pacer.stop();
    for (const unsubscribe of link.subscriptions.values()) unsubscribe();
    link.subscriptions.clear();
    link.peripheral.removeListener('disconnect', link.onLoss);
    if (hangUp) void link.peripheral.disconnect();
    // At once, not later: a later 'disconnect' could land on the next connection.
    this.emit('disconnect', slot.id, reason);
  }

  #advertise(): void {
    if (this.#state !== 'poweredOn' || this.#scanTimer === undefined) return;
    const filter = this.#scanFilter ?? [];
    for (const slot of this.#slots.values()) {
      const peripheral = slot.current();
      if (!peripheral?.advertising) continue;
      const { localName, serviceUuids } = peripheral.advertisement;
      if (filter.length > 0 && !serviceUuids.some((u) => filter.includes(normalise(u)))) continue;
      const advertisement = {
        localName,
        serviceUuids: [...serviceUuids],
        serviceData: [],
        manufacturerData: undefined,
        txPowerLevel: undefined,
      };
      this.emit(
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

  #stopAdvertising(): void {
    clearInterval(this.#scanTimer);
    this.#scanTimer = undefined;
  }
}

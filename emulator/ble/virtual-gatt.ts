// The GATT layer of the virtual noble bindings: noble's discover, read, write and
// notify calls on a connected key, answered over the link's packet pacer in the
// order a radio connection keeps, and the events emitted back with the argument
// order of noble's lib/hci-socket/bindings.js. A key that stopped answering gets
// no answer through; a stalled adapter never sends; notifications may be tampered
// with or injected by a test. noble takes its bindings as one object: this is its
// lower layer, and VirtualBleBindings (virtual-ble-bindings.ts) adds the adapter,
// the scan, the connections and the slots it looks keys up in.
import { EventEmitter } from 'node:events';
import type { GattProperty } from './gatt-peripheral';
import { liveLink, type Link, type Slot } from './adapter-slot';

/** noble's normalised UUID: lowercase hex, no dashes. */
export const normaliseUuid = (uuid: string): string => uuid.toLowerCase().replaceAll('-', '');

export abstract class VirtualGattBindings extends EventEmitter {
  /** The key noble's `id` names, if it is in range. */
  protected abstract slot(id: string): Slot | undefined;

  discoverServices(id: string, uuids: string[] | undefined): void {
    const peripheral = this.#live(id)?.peripheral;
    if (!peripheral) return;
    const wanted = (uuids ?? []).map(normaliseUuid);
    const services = [peripheral.service].filter((u) => wanted.length === 0 || wanted.includes(u));
    this.#answer(id, () => this.emit('servicesDiscover', id, services));
  }

  discoverIncludedServices(id: string, serviceUuid: string): void {
    this.#answer(id, () => this.emit('includedServicesDiscover', id, serviceUuid, []));
  }

  discoverCharacteristics(id: string, serviceUuid: string, uuids: string[] | undefined): void {
    const peripheral = this.#live(id)?.peripheral;
    if (!peripheral || normaliseUuid(serviceUuid) !== peripheral.service) return;
    const wanted = (uuids ?? []).map(normaliseUuid);
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
    if (!link || !allows(link, characteristicUuid, 'read')) return;
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
    const link = this.slot(id)?.link;
    const property = withoutResponse ? 'writeWithoutResponse' : 'write';
    if (!link || !allows(link, characteristicUuid, property)) return;
    const value = Uint8Array.from(data);
    link.pacer.push(() => {
      const slot = this.slot(id);
      if (slot?.stalled) return;
      // Without response, hci-socket confirms the write once it has gone out, not when the key
      // took it: so also to a key that stopped answering (it only never sees the packet).
      if (withoutResponse) this.emit('write', id, serviceUuid, characteristicUuid);
      if (slot?.unresponsive) return;
      link.peripheral.write(characteristicUuid, value, withoutResponse).then(
        () => {
          if (!withoutResponse && this.slot(id)?.link === link) {
            this.emit('write', id, serviceUuid, characteristicUuid);
          }
        },
        () => undefined, // refused, or the link dropped meanwhile: 'disconnect' tells noble
      );
    });
  }

  notify(id: string, serviceUuid: string, characteristicUuid: string, enable: boolean): void {
    const link = this.#live(id);
    if (!link || !allows(link, characteristicUuid, 'notify')) return;
    link.subscriptions.get(characteristicUuid)?.();
    link.subscriptions.delete(characteristicUuid);
    if (enable) {
      link.subscriptions.set(
        characteristicUuid,
        link.peripheral.subscribe(characteristicUuid, (value) => {
          const slot = this.slot(id);
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

  /**
   * Test control: a notification the key did not send (garbage, a stray ERROR): the host
   * must cope. On the key's first notifying characteristic unless one is named.
   */
  injectNotification(id: string, fragment: Uint8Array, characteristic?: string): void {
    const link = this.slot(id)?.link;
    if (!link) return;
    const { service, characteristics } = link.peripheral;
    const target =
      characteristic ?? characteristics.find((c) => c.properties.includes('notify'))?.uuid;
    if (target === undefined) return;
    link.pacer.push(() => this.emit('read', id, service, target, Buffer.from(fragment), true));
  }

  #live(id: string): Link | undefined {
    return liveLink(this.slot(id));
  }

  /** Sends a GATT answer over the link (paced), unless the key stopped answering. */
  #answer(id: string, emit: () => void): void {
    const link = this.#live(id);
    if (!link) return;
    link.pacer.push(() => {
      if (this.#live(id) === link) emit();
    });
  }
}

/** A real stack answers an operation the characteristic lacks with an ATT error: here, silence. */
const allows = (link: Link, characteristic: string, property: GattProperty): boolean =>
  link.peripheral.characteristics.some(
    (c) => c.uuid === characteristic && c.properties.includes(property),
  );

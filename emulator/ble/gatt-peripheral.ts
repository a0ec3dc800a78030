// What the virtual Bluetooth adapter needs of a key's GATT side, whatever its
// family: one primary service with its characteristics, reads, writes (with or
// without response) and notifications. The open protocol's peripheral
// (emulator/key/ble-peripheral.ts) and the Hideez Key 3's (emulator/key3) both
// implement it, so the same bindings carry either under the real noble classes.
import type { EventEmitter } from 'node:events';

export type GattProperty = 'read' | 'write' | 'writeWithoutResponse' | 'notify';

export interface GattCharacteristicSpec {
  /** noble's normalised form: lowercase hex, no dashes. */
  readonly uuid: string;
  readonly properties: readonly GattProperty[];
}

export interface GattAdvertisement {
  readonly localName: string;
  readonly serviceUuids: readonly string[];
}

/** Emits 'disconnect' when the key drops the link itself (out of range, power off). */
export interface VirtualGattPeripheral extends EventEmitter {
  /** noble's id: the address without colons. */
  readonly id: string;
  /** Lowercase MAC with colons. */
  readonly address: string;
  readonly advertisement: GattAdvertisement;
  readonly rssi: number;
  /** Powered, in range and not connected (a connected key stops advertising). */
  readonly advertising: boolean;
  /** The one primary service, normalised. */
  readonly service: string;
  readonly characteristics: readonly GattCharacteristicSpec[];
  /** The host connects and negotiates an ATT MTU. */
  connect(mtu: number): Promise<void>;
  disconnect(): Promise<void>;
  /** Test control: the key goes out of range; the host sees 'disconnect'. */
  simulateLinkLoss(): void;
  read(characteristic: string): Promise<Uint8Array>;
  /** Resolves once the key took the value (a write request's response). */
  write(characteristic: string, data: Uint8Array, withoutResponse: boolean): Promise<void>;
  /** Notifications of one characteristic; returns the unsubscribe function. */
  subscribe(characteristic: string, listener: (data: Uint8Array) => void): () => void;
}

// The part of @abandonware/noble's API the BLE transport uses, typed by us:
// noble's own index.d.ts types a module of free functions, not the Noble
// instance that `@abandonware/noble/with-bindings` returns, and it uses
// `Function` and `any`. The real Noble, Peripheral, Service and Characteristic
// classes satisfy these interfaces (tests run them over emulator/ble bindings).

/** noble's adapter states (noble.state and 'stateChange'). */
export type NobleState =
  'unknown' | 'resetting' | 'unsupported' | 'unauthorized' | 'poweredOff' | 'poweredOn';

/** noble calls back with an Error, a string, or null/undefined for success. */
export type NobleCallbackError = Error | string | null | undefined;

export interface CharacteristicLike {
  readonly uuid: string;
  read(callback: (error: NobleCallbackError, data: Uint8Array) => void): void;
  /** withoutResponse false: an ATT write request, answered by the peripheral. */
  write(
    data: Uint8Array,
    withoutResponse: boolean,
    callback: (error: NobleCallbackError) => void,
  ): void;
  subscribe(callback: (error: NobleCallbackError) => void): void;
  on(event: 'data', listener: (data: Uint8Array, isNotification: boolean) => void): unknown;
  removeListener(
    event: 'data',
    listener: (data: Uint8Array, isNotification: boolean) => void,
  ): unknown;
}

export interface ServiceLike {
  readonly uuid: string;
  discoverCharacteristics(
    uuids: string[],
    callback: (error: NobleCallbackError, characteristics: CharacteristicLike[]) => void,
  ): void;
}

export interface AdvertisementLike {
  readonly localName?: string;
  readonly serviceUuids?: readonly string[];
}

export type PeripheralState =
  'error' | 'connecting' | 'connected' | 'disconnecting' | 'disconnected';

export interface PeripheralLike {
  /** noble's id: the address without colons on Linux, an OS handle on macOS. */
  readonly id: string;
  readonly address: string;
  readonly advertisement: AdvertisementLike;
  readonly rssi: number;
  readonly state: PeripheralState;
  /** The negotiated ATT MTU when the bindings report it (hci-socket does), else null. */
  readonly mtu: number | null;
  connect(callback: (error: NobleCallbackError) => void): void;
  cancelConnect(): void;
  disconnect(callback?: () => void): void;
  discoverServices(
    uuids: string[],
    callback: (error: NobleCallbackError, services: ServiceLike[]) => void,
  ): void;
  on(event: 'disconnect', listener: (reason?: unknown) => void): unknown;
  removeListener(event: 'disconnect', listener: (reason?: unknown) => void): unknown;
}

export interface NobleLike {
  /** Reading it initialises noble's bindings (noble does that lazily). */
  readonly state: string;
  startScanning(
    serviceUuids: string[],
    allowDuplicates: boolean,
    callback: (error?: Error | null) => void,
  ): void;
  stopScanning(callback?: () => void): void;
  on(event: 'stateChange', listener: (state: string) => void): unknown;
  on(event: 'discover', listener: (peripheral: PeripheralLike) => void): unknown;
  removeListener(event: 'stateChange', listener: (state: string) => void): unknown;
  removeListener(event: 'discover', listener: (peripheral: PeripheralLike) => void): unknown;
}

const hasMethods = (value: unknown, names: readonly string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

/** A runtime check of what a dynamic import handed us before we trust its shape. */
export const isNobleLike = (value: unknown): value is NobleLike =>
  hasMethods(value, ['startScanning', 'stopScanning', 'on', 'removeListener']);

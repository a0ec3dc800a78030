// A real noble (its Noble, Peripheral, Service and Characteristic classes)
// over the virtual adapter: what tests and the emulator hand to
// createBleDiscovery({ noble }) instead of the machine's Bluetooth.
import { createRequire } from 'node:module';
import type { NobleLike } from '../../device/transport/ble/noble-like';
import { isNobleLike } from '../../device/transport/ble/noble-like';
import { VirtualBleBindings, type VirtualBleBindingsOptions } from './virtual-ble-bindings';

const require = createRequire(import.meta.url);

/** noble's with-bindings entry point: (bindings) => new Noble(bindings). */
export function nobleWithBindings(bindings: VirtualBleBindings): NobleLike {
  const build = require('@abandonware/noble/with-bindings') as (bindings: unknown) => unknown;
  const noble = build(bindings);
  if (!isNobleLike(noble)) throw new Error('@abandonware/noble/with-bindings returned no Noble');
  return noble;
}

export function createVirtualNoble(options: VirtualBleBindingsOptions = {}): {
  noble: NobleLike;
  adapter: VirtualBleBindings;
} {
  const adapter = new VirtualBleBindings(options);
  return { noble: nobleWithBindings(adapter), adapter };
}

// Virtual Hideez Key 3s for tests: provisioned in a temp folder (certificates signed by the
// test vendor key), powered, and in range of a virtual Bluetooth adapter under the real noble
// classes; the companion finds them through the real BLE key discovery.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBleKeyDiscovery } from '../../../device/discovery/ble-keys';
import type { KeyDiscovery } from '../../../device/key/key-connection';
import { TEST_VENDOR_PUBLIC_KEY } from '../../../device/key3/crypto/vendor-keys';
import type { Key3Trace } from '../../../device/key3/trace/key3-trace';
import type {
  VirtualBleBindings,
  VirtualBleBindingsOptions,
} from '../../../emulator/ble/virtual-ble-bindings';
import { createVirtualNoble } from '../../../emulator/ble/virtual-noble';
import type { NobleLike } from '../../../device/transport/ble/noble-like';
import { provisionKey3s, type Key3ProvisioningRecord } from '../../../emulator/key3/provision-key3';
import { VirtualKey, type VirtualKeyOptions } from '../../../emulator/key/virtual-key';
import { TEST_HASH_COST } from '../../emulator/key/key-hosts';

export interface Key3Bench {
  readonly keys: VirtualKey[];
  readonly records: Key3ProvisioningRecord[];
  readonly noble: NobleLike;
  readonly adapter: VirtualBleBindings;
  /** The companion's BLE discovery (both families), accepting the test vendor key. */
  discovery(options?: {
    trace?: Key3Trace;
    staleAfterMs?: number;
    /** Default: the test vendor key that certified these keys. */
    vendorPublicKey?: Uint8Array;
  }): KeyDiscovery;
  cleanup(): Promise<void>;
}

export async function virtualKey3s(
  count: number,
  options: { key?: VirtualKeyOptions; adapter?: VirtualBleBindingsOptions } = {},
): Promise<Key3Bench> {
  const dir = await mkdtemp(join(tmpdir(), 'key3-'));
  const records = await provisionKey3s(dir, count);
  const keys = await VirtualKey.openFolder(dir, { hashCost: TEST_HASH_COST, ...options.key });
  const { noble, adapter } = createVirtualNoble(options.adapter);
  for (const key of keys) adapter.addPeripheral(key);
  return {
    keys,
    records,
    noble,
    adapter,
    discovery: (extra = {}) =>
      createBleKeyDiscovery({
        noble,
        key3: {
          vendorPublicKey: extra.vendorPublicKey ?? TEST_VENDOR_PUBLIC_KEY,
          connectTimeoutsMs: [2000, 1000],
          ...(extra.trace ? { trace: extra.trace } : {}),
        },
        ...(extra.staleAfterMs !== undefined ? { staleAfterMs: extra.staleAfterMs } : {}),
      }),
    async cleanup() {
      for (const key of keys) key.unplug();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Every key family over Bluetooth LE through one scanner (noble is one adapter):
// an advertisement with our open protocol's service is an open-protocol key; one
// with the Hideez Key 3 service (or, where the advertisement lacks it, the Key 3
// name pattern "HK-nnnnn": reference §1.1, one of its unknowns) is a Key 3. Each
// key is opened by its family's driver. Because the Key 3's name fallback needs to
// see advertisements without a service, the scan has no filter when Key 3s are
// looked for; the scanner then drops everything that is neither.
import type { KeyConnection, KeyDiscovery } from '../key/key-connection';
import { macOf } from '../key3/driver/key3-key-info';
import { openKey3, type Key3Options } from '../key3/driver/open-key3';
import { isKey3Advertisement } from '../key3/protocol/gatt';
import { identify } from '../open-protocol/open-discovery';
import {
  type BleDiscoveryOptions,
  isOpenProtocolAdvertisement,
  openOpenProtocolBle,
} from '../transport/ble/ble-discovery';
import { BleScanner, type BleLog } from '../transport/ble/ble-scanner';
import type { NobleLike } from '../transport/ble/noble-like';
import type { LinkAvailability } from '../transport/transport';
import { HIDEEZ_SERVICE_UUID } from '../protocol/gatt';

export interface BleKeyDiscoveryOptions {
  readonly noble?: NobleLike | (() => Promise<NobleLike>);
  /** The open protocol's BLE options (connect timeouts, cancel grace). */
  readonly openProtocol?: Omit<BleDiscoveryOptions, 'noble' | 'staleAfterMs' | 'log'>;
  /** Look for Hideez Key 3s too (default: yes), with these options. */
  readonly key3?: Key3Options | false;
  readonly staleAfterMs?: number;
  readonly log?: BleLog;
}

type BleFamily = 'open' | 'key3';

export function createBleKeyDiscovery(options: BleKeyDiscoveryOptions = {}): KeyDiscovery & {
  readonly availability: LinkAvailability;
} {
  const key3 = options.key3 === false ? undefined : (options.key3 ?? {});
  const scanner = new BleScanner<BleFamily>({
    ...(options.noble !== undefined ? { noble: options.noble } : {}),
    classify: (advertisement) => {
      if (isOpenProtocolAdvertisement(advertisement)) return 'open';
      if (key3 && isKey3Advertisement(advertisement)) return 'key3';
      return undefined;
    },
    ...(key3 ? {} : { scanFilter: [HIDEEZ_SERVICE_UUID] }),
    defaultName: (family) => (family === 'key3' ? 'Hideez Key 3' : 'Hideez key'),
    // A Key 3 is known by its BLE address until GETINFO names it (reference §1.1), so the
    // user sees it, and why it could not be opened, before that.
    provisionalIdentity: (family, peripheral) =>
      family === 'key3' ? macOf(peripheral.address || peripheral.id) : undefined,
    ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    link: 'ble',
    get availability() {
      return scanner.availability;
    },
    watch: (observer) => scanner.watch(observer),
    open: (descriptor, openOptions) =>
      scanner.connect<KeyConnection>(descriptor, async (peripheral, seen) => {
        if (scanner.kindOf(descriptor.id) === 'key3' && key3) {
          return openKey3(peripheral, seen, openOptions, key3);
        }
        const transport = await openOpenProtocolBle(peripheral, seen, {
          ...options.openProtocol,
          ...(options.log ? { log: options.log } : {}),
        });
        return identify(transport, openOptions);
      }),
  };
}

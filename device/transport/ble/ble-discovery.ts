// The open protocol's keys over Bluetooth LE, as a TransportDiscovery: the shared
// scanner (ble-scanner.ts) looking for our service UUID, and each key opened as a
// GATT session (gatt-session.ts) framed by the BLE transport (ble-transport.ts).
import { HIDEEZ_SERVICE_UUID } from '../../protocol/gatt';
import type { LinkAvailability, Transport, TransportDiscovery } from '../transport';
import { type BleLog, BleScanner, normaliseUuid } from './ble-scanner';
import { openBleTransport } from './ble-transport';
import { connectGatt, DEFAULT_CONNECT_TIMEOUTS_MS } from './gatt-session';
import type { AdvertisementLike, NobleLike, PeripheralLike } from './noble-like';

export { DEFAULT_STALE_AFTER_MS, RSSI_STEP_DBM, type BleLog } from './ble-scanner';

export interface BleDiscoveryOptions {
  /** A noble instance, or how to get one (default: the lazy loader). */
  readonly noble?: NobleLike | (() => Promise<NobleLike>);
  /** One entry per connect attempt: the Hideez Client's 8 s, then 4 s. */
  readonly connectTimeoutsMs?: readonly number[];
  readonly staleAfterMs?: number;
  readonly cancelGraceMs?: number;
  readonly log?: BleLog;
}

/** Whether an advertisement announces an open-protocol key (our service UUID). */
export const isOpenProtocolAdvertisement = (advertisement: AdvertisementLike): boolean =>
  (advertisement.serviceUuids ?? []).some((uuid) => normaliseUuid(uuid) === HIDEEZ_SERVICE_UUID);

/** Connects an open-protocol key's GATT session and frames it as a Transport. */
export async function openOpenProtocolBle(
  peripheral: PeripheralLike,
  descriptor: Transport['descriptor'],
  options: BleDiscoveryOptions,
): Promise<Transport> {
  const session = await connectGatt(peripheral, {
    timeoutsMs: options.connectTimeoutsMs ?? DEFAULT_CONNECT_TIMEOUTS_MS,
  });
  return openBleTransport(session, descriptor, {
    ...(options.cancelGraceMs !== undefined ? { cancelGraceMs: options.cancelGraceMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}

export function createBleDiscovery(options: BleDiscoveryOptions = {}): TransportDiscovery & {
  /** The adapter state last seen ('unknown' before the first watch()). */
  readonly availability: LinkAvailability;
} {
  const scanner = new BleScanner<'open'>({
    ...(options.noble !== undefined ? { noble: options.noble } : {}),
    classify: (advertisement) => (isOpenProtocolAdvertisement(advertisement) ? 'open' : undefined),
    scanFilter: [HIDEEZ_SERVICE_UUID],
    ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    link: 'ble',
    get availability() {
      return scanner.availability;
    },
    watch: (observer) => scanner.watch(observer),
    open: (descriptor) =>
      scanner.connect(descriptor, (peripheral, seen) =>
        openOpenProtocolBle(peripheral, seen, options),
      ),
  };
}

// Opening a Hideez Key 3 found over Bluetooth (reference §1.3, §5.1): the GATT
// set-up, then — unless the key runs its bootloader — the companion's secure
// channel (channel 1, verified against the vendor key) and GETINFO, which names
// the key. A key in its bootloader is opened as it is (known by its address, the
// workflow shows "updating its firmware") and nothing else is sent to it. Anything
// that fails closes the link again, so a half-open key never lingers.
import { DeviceError, DeviceErrorKind, isDeviceError } from '../../errors/device-error';
import type { OpenKeyOptions } from '../../key/key-connection';
import type { PeripheralLike } from '../../transport/ble/noble-like';
import type { TransportDescriptor } from '../../transport/transport';
import { REAL_VENDOR_PUBLIC_KEY } from '../crypto/vendor-keys';
import { connectKey3Gatt, type Key3GattSession } from '../link/key3-gatt';
import { Key3PacketLink, type Key3PacketLinkOptions } from '../link/packet-link';
import { NO_TRACE, type Key3Trace } from '../trace/key3-trace';
import { COMPANION_CHANNEL } from './channels';
import { Key3Connection } from './key3-connection';
import { readKey3Info } from './read-info';
import { bootloaderKeyInfo, macOf } from './key3-key-info';
import { Key3SecureChannel } from './secure-channel';

export interface Key3Options {
  /**
   * The vendor key that certifies genuine keys. Default and only choice of the
   * packaged app: the real Hideez key. The demo and tests pass the test vendor key
   * their virtual Key 3s are certified with.
   */
  readonly vendorPublicKey?: Uint8Array;
  /** GATT connect attempts (default: 8 s, then 4 s). */
  readonly connectTimeoutsMs?: readonly number[];
  /** Where a field trace goes (default: nowhere). */
  readonly trace?: Key3Trace;
  readonly link?: Omit<Key3PacketLinkOptions, 'trace'>;
}

export async function openKey3(
  peripheral: PeripheralLike,
  descriptor: TransportDescriptor,
  open: OpenKeyOptions,
  options: Key3Options = {},
): Promise<Key3Connection> {
  const trace = options.trace ?? NO_TRACE;
  const mac = macOf(peripheral.address || peripheral.id);
  trace.record({
    kind: 'link',
    event: 'open',
    details: { id: descriptor.id, name: descriptor.name },
  });
  let gatt: Key3GattSession;
  try {
    gatt = await connectKey3Gatt(peripheral, {
      trace,
      ...(options.connectTimeoutsMs ? { timeoutsMs: options.connectTimeoutsMs } : {}),
      ...(open.signal ? { signal: open.signal } : {}),
    });
  } catch (error) {
    throw asOpenError(error);
  }
  const link = new Key3PacketLink(gatt, { ...options.link, trace });
  if (gatt.bootloader) {
    trace.record({ kind: 'link', event: 'bootloader' });
    return new Key3Connection(descriptor, bootloaderKeyInfo(mac), link, undefined);
  }
  const secure = new Key3SecureChannel(
    link,
    COMPANION_CHANNEL,
    options.vendorPublicKey ?? REAL_VENDOR_PUBLIC_KEY,
    trace,
  );
  try {
    await secure.open(open.signal);
    const info = await readKey3Info(secure, mac, {
      timeoutMs: open.infoTimeoutMs,
      ...(open.signal ? { signal: open.signal } : {}),
    });
    return new Key3Connection(descriptor, info, link, secure);
  } catch (error) {
    secure.drop('open failed');
    await link.close().catch(() => undefined);
    throw asOpenError(error);
  }
}

function asOpenError(error: unknown): DeviceError {
  if (isDeviceError(error)) return error;
  return new DeviceError(
    DeviceErrorKind.OpenFailed,
    'The key could not be opened over Bluetooth',
    {},
    { cause: error },
  );
}

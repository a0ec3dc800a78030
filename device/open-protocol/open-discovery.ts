// Opening an open-protocol key found by a TransportDiscovery (USB HID or BLE): the
// transport, then GetInfo, because only the key itself tells which key it is (the
// serial number merges a key's USB and BLE links). A link that opens but cannot
// answer GetInfo is closed again, so a half-open link never lingers.
import { DeviceError, DeviceErrorKind, isDeviceError } from '../errors/device-error';
import type { KeyConnection, KeyDiscovery, OpenKeyOptions } from '../key/key-connection';
import type { Transport, TransportDescriptor, TransportDiscovery } from '../transport/transport';
import { KeyClient, type KeyClientOptions } from './key-client';
import { OpenProtocolConnection } from './open-connection';

/** The open protocol's keys on one TransportDiscovery, as a KeyDiscovery. */
export function openProtocolKeys(
  transports: TransportDiscovery,
  clientOptions: KeyClientOptions = {},
): KeyDiscovery {
  return {
    link: transports.link,
    watch: (observer) => transports.watch(observer),
    open: (descriptor, options) => openKey(transports, descriptor, options, clientOptions),
  };
}

/**
 * Opens the link and identifies the key. Rejects with a DeviceError: the
 * transport's own (OpenFailed, BluetoothUnavailable, ...) or the GetInfo's
 * (Timeout, Protocol, Disconnected); anything else becomes OpenFailed.
 */
export async function openKey(
  transports: TransportDiscovery,
  descriptor: TransportDescriptor,
  options: OpenKeyOptions,
  clientOptions: KeyClientOptions = {},
): Promise<KeyConnection> {
  let transport: Transport;
  try {
    transport = await transports.open(descriptor);
  } catch (error) {
    throw asOpenError(error, descriptor);
  }
  return identify(transport, options, clientOptions);
}

/** GetInfo over an open transport; the transport is closed again if that fails. */
export async function identify(
  transport: Transport,
  options: OpenKeyOptions,
  clientOptions: KeyClientOptions = {},
): Promise<KeyConnection> {
  try {
    const client = new KeyClient(transport, clientOptions);
    const info = await client.getInfo({
      timeoutMs: options.infoTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return new OpenProtocolConnection(transport, client, info);
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw asOpenError(error, transport.descriptor);
  }
}

export function asOpenError(error: unknown, descriptor: TransportDescriptor): DeviceError {
  if (isDeviceError(error)) return error;
  return new DeviceError(
    DeviceErrorKind.OpenFailed,
    'The link to the key could not be opened',
    { link: descriptor.link, id: descriptor.id },
    { cause: error },
  );
}

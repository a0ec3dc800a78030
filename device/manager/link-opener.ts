// Opening one discovered link: the transport, then GetInfo, because only the
// key itself tells us which key it is (the serial number merges a key's USB and
// BLE links). A link that opens but cannot answer GetInfo is closed again, so a
// half-open link never lingers.
import type { KeyInfo } from '../../shared/key/key-info';
import { DeviceError, DeviceErrorKind, isDeviceError } from '../errors/device-error';
import { KeyClient, type KeyClientOptions } from '../key/key-client';
import type { Transport, TransportDescriptor, TransportDiscovery } from '../transport/transport';

export interface OpenedLink {
  readonly descriptor: TransportDescriptor;
  readonly transport: Transport;
  readonly client: KeyClient;
  /** What the key said at open (serialNo identifies the key). */
  readonly info: KeyInfo;
}

export interface OpenLinkOptions extends KeyClientOptions {
  /** Time limit for the GetInfo that identifies the key. */
  readonly infoTimeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Opens the link and identifies the key. Rejects with a DeviceError: the
 * transport's own (OpenFailed, BluetoothUnavailable, ...) or the GetInfo's
 * (Timeout, Protocol, Disconnected); anything else becomes OpenFailed.
 */
export async function openLink(
  discovery: TransportDiscovery,
  descriptor: TransportDescriptor,
  options: OpenLinkOptions,
): Promise<OpenedLink> {
  let transport: Transport;
  try {
    transport = await discovery.open(descriptor);
  } catch (error) {
    throw asOpenError(error, descriptor);
  }
  try {
    const client = new KeyClient(transport, options);
    const info = await client.getInfo({
      timeoutMs: options.infoTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { descriptor, transport, client, info };
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw asOpenError(error, descriptor);
  }
}

function asOpenError(error: unknown, descriptor: TransportDescriptor): DeviceError {
  if (isDeviceError(error)) return error;
  return new DeviceError(
    DeviceErrorKind.OpenFailed,
    'The link to the key could not be opened',
    { link: descriptor.link, id: descriptor.id },
    { cause: error },
  );
}

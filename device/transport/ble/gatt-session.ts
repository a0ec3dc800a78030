// Opens the GATT side of one key: connect with a time limit and one retry, as
// the Hideez Client does (8 s, then 4 s: hideez-client-behaviour.md §1.2),
// find our service and its three characteristics, read the control point
// length (the key's fragment size), and subscribe to status notifications.
// What comes out is a small session the transport frames messages over.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import {
  CONTROL_POINT_LENGTH_UUID,
  CONTROL_POINT_UUID,
  decodeControlPointLength,
  fragmentSizeForMtu,
  HIDEEZ_SERVICE_UUID,
  STATUS_UUID,
} from '../../protocol/gatt';
import { nobleCall } from './noble-call';
import { connectOnce, settleLink } from './noble-connect';
import { NotifyingGattLink } from './notifying-link';
import type { CharacteristicLike, PeripheralLike, ServiceLike } from './noble-like';

export const DEFAULT_CONNECT_TIMEOUTS_MS: readonly number[] = [8000, 4000];
export { DISCONNECT_WAIT_MS, disconnectBounded } from './noble-connect';

export interface GattSession {
  /** What the key sends and accepts per fragment: its control point length. */
  readonly keyFragmentSize: number;
  /** What we write per fragment: the key's size, never past our ATT MTU − 3. */
  readonly writeFragmentSize: number;
  readonly connected: boolean;
  /** Write with response; writes run one after another. Rejects Disconnected on link loss. */
  write(fragment: Uint8Array): Promise<void>;
  onFragment(listener: (fragment: Uint8Array) => void): () => void;
  /** Fires once when the link goes away (also after disconnect()). */
  onLinkLoss(listener: () => void): () => void;
  disconnect(): Promise<void>;
}

export interface ConnectOptions {
  /** One entry per attempt. */
  readonly timeoutsMs?: readonly number[];
  /** Told before each retry (the UI can say "Retrying…"). */
  readonly onRetry?: (attempt: number, cause: Error) => void;
}

export async function connectGatt(
  peripheral: PeripheralLike,
  options: ConnectOptions = {},
): Promise<GattSession> {
  const timeouts = options.timeoutsMs ?? DEFAULT_CONNECT_TIMEOUTS_MS;
  let lastError: Error = new Error('no connect attempt');
  for (const [index, timeoutMs] of timeouts.entries()) {
    if (index > 0) options.onRetry?.(index + 1, lastError);
    try {
      return await attempt(peripheral, timeoutMs);
    } catch (error) {
      lastError = error instanceof Error ? error : new Error(String(error));
      await settleLink(peripheral);
    }
  }
  throw new DeviceError(
    DeviceErrorKind.OpenFailed,
    'Could not connect to the key over Bluetooth',
    {
      attempts: timeouts.length,
      reason: lastError instanceof DeviceError ? lastError.code : lastError.message,
    },
    { cause: lastError },
  );
}

async function attempt(peripheral: PeripheralLike, timeoutMs: number): Promise<GattSession> {
  const abort = new AbortController();
  const timer = setTimeout(() => {
    abort.abort(
      new DeviceError(DeviceErrorKind.Timeout, 'The key did not connect in time', { timeoutMs }),
    );
  }, timeoutMs);
  try {
    await connectOnce(peripheral, abort.signal);
    const [service] = await nobleCall<ServiceLike[]>(
      peripheral,
      (done) => peripheral.discoverServices([HIDEEZ_SERVICE_UUID], done),
      abort.signal,
    );
    if (!service || service.uuid !== HIDEEZ_SERVICE_UUID) throw missing('service');
    const characteristics = await nobleCall<CharacteristicLike[]>(
      peripheral,
      (done) =>
        service.discoverCharacteristics(
          [CONTROL_POINT_UUID, STATUS_UUID, CONTROL_POINT_LENGTH_UUID],
          done,
        ),
      abort.signal,
    );
    const find = (uuid: string): CharacteristicLike => {
      const found = characteristics.find((c) => c.uuid === uuid);
      if (!found) throw missing('characteristic');
      return found;
    };
    const controlPoint = find(CONTROL_POINT_UUID);
    const status = find(STATUS_UUID);
    const lengthBytes = await nobleCall<Uint8Array>(
      peripheral,
      (done) => find(CONTROL_POINT_LENGTH_UUID).read(done),
      abort.signal,
    );
    const keyFragmentSize = decodeControlPointLength(Uint8Array.from(lengthBytes));
    const session = new NobleGattSession(peripheral, controlPoint, status, keyFragmentSize);
    await nobleCall<undefined>(
      peripheral,
      (done) => status.subscribe((e) => done(e, undefined)),
      abort.signal,
    );
    return session;
  } finally {
    clearTimeout(timer);
  }
}

const missing = (what: string): DeviceError =>
  new DeviceError(DeviceErrorKind.OpenFailed, 'This Bluetooth device is not a Hideez key', {
    missing: what,
  });

class NobleGattSession extends NotifyingGattLink implements GattSession {
  readonly writeFragmentSize: number;

  constructor(
    peripheral: PeripheralLike,
    controlPoint: CharacteristicLike,
    status: CharacteristicLike,
    readonly keyFragmentSize: number,
  ) {
    super(peripheral, controlPoint, status);
    const mtu = peripheral.mtu;
    this.writeFragmentSize =
      mtu === null ? keyFragmentSize : Math.min(keyFragmentSize, fragmentSizeForMtu(mtu));
  }

  /** Fragments are written with response. */
  write(fragment: Uint8Array): Promise<void> {
    return this.writeValue(fragment, false);
  }

  onFragment(listener: (fragment: Uint8Array) => void): () => void {
    return this.onNotification(listener);
  }
}

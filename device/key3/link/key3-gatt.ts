// The GATT side of one Hideez Key 3 over noble, in the order the vendor's Windows
// back-end uses (reference §1.3): connect; find service 59ac0001 and both the main
// (…0007) and info (…0005) characteristics; read the info characteristic first
// (bootloader mode, or an empty value that aborts); subscribe to the main
// characteristic's notifications; write `02 01` with response (the key stays silent
// until a first write). Every packet afterwards is a 20-byte write without response.
//
// Pairing: noble starts encryption by itself when the key answers an ATT request
// with "insufficient authentication/encryption"; a key that is not in pairing mode
// then leaves the request unanswered (or noble hands back an empty value). Either
// way the set-up fails after the link came up, and that is reported as
// DEVICE_PAIRING_REQUIRED so the user is told to press the key's button.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import { nobleCall } from '../../transport/ble/noble-call';
import { connectOnce, settleLink } from '../../transport/ble/noble-connect';
import { NotifyingGattLink } from '../../transport/ble/notifying-link';
import type {
  CharacteristicLike,
  PeripheralLike,
  ServiceLike,
} from '../../transport/ble/noble-like';
import { isBootloaderInfo, KEY3_UUIDS, PACKET_SIZE, wakeUpWrite } from '../protocol/gatt';
import { hex, NO_TRACE, type Key3Trace } from '../trace/key3-trace';

/** The vendor's dongle path: connect ≤ 8 s, one retry ≤ 4 s (ConnectDeviceTimeout). */
export const KEY3_CONNECT_TIMEOUTS_MS: readonly number[] = [8000, 4000];

export interface Key3GattSession {
  /** The info characteristic's value as read at connect. */
  readonly info: Uint8Array;
  /** Byte 0 of the info value is 0x01 or 0x64: the key runs its bootloader. */
  readonly bootloader: boolean;
  readonly connected: boolean;
  /** One 20-byte packet, written without response; writes run one after another. */
  writePacket(packet: Uint8Array): Promise<void>;
  onNotification(listener: (bytes: Uint8Array) => void): () => void;
  /** Fires once when the link goes away (also after disconnect()). */
  onLinkLoss(listener: () => void): () => void;
  disconnect(): Promise<void>;
}

export interface Key3ConnectOptions {
  readonly timeoutsMs?: readonly number[];
  readonly trace?: Key3Trace;
  readonly signal?: AbortSignal;
}

type Step = 'connect' | 'services' | 'characteristics' | 'info' | 'subscribe' | 'wakeUp';

export async function connectKey3Gatt(
  peripheral: PeripheralLike,
  options: Key3ConnectOptions = {},
): Promise<Key3GattSession> {
  const timeouts = options.timeoutsMs ?? KEY3_CONNECT_TIMEOUTS_MS;
  const trace = options.trace ?? NO_TRACE;
  let last: { error: Error; step: Step } = { error: new Error('no attempt'), step: 'connect' };
  for (const [attempt, timeoutMs] of timeouts.entries()) {
    if (options.signal?.aborted) break;
    const progress: { step: Step } = { step: 'connect' };
    try {
      return await connectAttempt(peripheral, timeoutMs, progress, trace, options.signal);
    } catch (error) {
      last = {
        error: error instanceof Error ? error : new Error(String(error)),
        step: progress.step,
      };
      trace.record({
        kind: 'link',
        event: 'connectFailed',
        details: { attempt: attempt + 1, step: progress.step, reason: reasonOf(last.error) },
      });
      await settleLink(peripheral);
      if (last.error instanceof DeviceError && last.error.code === DeviceErrorKind.OpenFailed)
        break;
    }
  }
  throw failure(last.error, last.step, timeouts.length);
}

async function connectAttempt(
  peripheral: PeripheralLike,
  timeoutMs: number,
  progress: { step: Step },
  trace: Key3Trace,
  outer: AbortSignal | undefined,
): Promise<Key3GattSession> {
  const abort = new AbortController();
  const onOuter = (): void => abort.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter, { once: true });
  const timer = setTimeout(() => {
    abort.abort(
      new DeviceError(DeviceErrorKind.Timeout, 'The key did not connect in time', { timeoutMs }),
    );
  }, timeoutMs);
  const signal = abort.signal;
  try {
    trace.record({ kind: 'link', event: 'connect', details: { timeoutMs } });
    await connectOnce(peripheral, signal);
    progress.step = 'services';
    const services = await nobleCall<ServiceLike[]>(
      peripheral,
      (done) => peripheral.discoverServices([KEY3_UUIDS.service], done),
      signal,
    );
    const service = services.find((s) => s.uuid === KEY3_UUIDS.service);
    if (!service) throw notAKey3('service');
    progress.step = 'characteristics';
    const characteristics = await nobleCall<CharacteristicLike[]>(
      peripheral,
      (done) => service.discoverCharacteristics([KEY3_UUIDS.main, KEY3_UUIDS.info], done),
      signal,
    );
    const main = characteristics.find((c) => c.uuid === KEY3_UUIDS.main);
    const infoCharacteristic = characteristics.find((c) => c.uuid === KEY3_UUIDS.info);
    // The vendor back-end refuses a key without either (very old firmware lacks the info one).
    if (!main) throw notAKey3('main characteristic');
    if (!infoCharacteristic) throw notAKey3('info characteristic');
    progress.step = 'info';
    const info = Uint8Array.from(
      await nobleCall<Uint8Array>(peripheral, (done) => infoCharacteristic.read(done), signal),
    );
    const bootloader = isBootloaderInfo(info); // throws Truncated on an empty value
    trace.record({ kind: 'link', event: 'info', details: { value: hex(info), bootloader } });
    progress.step = 'subscribe';
    const session = new NobleKey3Session(peripheral, main, info, bootloader, trace);
    await nobleCall<undefined>(
      peripheral,
      (done) => main.subscribe((e) => done(e, undefined)),
      signal,
    );
    trace.record({ kind: 'link', event: 'subscribed' });
    progress.step = 'wakeUp';
    await nobleCall<undefined>(
      peripheral,
      (done) => main.write(wakeUpWrite(), false, (e) => done(e, undefined)),
      signal,
    );
    trace.record({ kind: 'link', event: 'wakeUp', details: { write: '0201' } });
    return session;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}

const notAKey3 = (missing: string): DeviceError =>
  new DeviceError(DeviceErrorKind.OpenFailed, 'This Bluetooth device is not a Hideez Key 3', {
    missing,
  });

const reasonOf = (error: Error): string =>
  error instanceof DeviceError
    ? error.code
    : (error as { code?: unknown }).code !== undefined
      ? String((error as { code?: unknown }).code)
      : error.message.slice(0, 80);

/** After the link came up, a step the key leaves unanswered or refuses means it wants pairing. */
const PAIRING_STEPS: ReadonlySet<Step> = new Set(['info', 'subscribe', 'wakeUp']);

function failure(error: Error, step: Step, attempts: number): DeviceError {
  if (error instanceof DeviceError && error.code === DeviceErrorKind.OpenFailed) return error;
  if (
    error instanceof DeviceError &&
    error.code === DeviceErrorKind.Disconnected &&
    step === 'connect'
  ) {
    return error;
  }
  if (PAIRING_STEPS.has(step)) {
    return new DeviceError(
      DeviceErrorKind.PairingRequired,
      'The key did not let this computer in: press its button so it flashes blue (pairing mode), keep it near, and it will connect',
      { step, attempts },
      { cause: error },
    );
  }
  return new DeviceError(
    DeviceErrorKind.OpenFailed,
    'Could not connect to the key over Bluetooth',
    { step, attempts, reason: reasonOf(error) },
    { cause: error },
  );
}

class NobleKey3Session extends NotifyingGattLink implements Key3GattSession {
  constructor(
    peripheral: PeripheralLike,
    main: CharacteristicLike,
    readonly info: Uint8Array,
    readonly bootloader: boolean,
    trace: Key3Trace,
  ) {
    super(peripheral, main, main, () => trace.record({ kind: 'link', event: 'disconnected' }));
  }

  /** Every packet is written without response, as the vendor host does. */
  writePacket(packet: Uint8Array): Promise<void> {
    if (packet.length > PACKET_SIZE) {
      return Promise.reject(
        new DeviceError(DeviceErrorKind.Protocol, 'A Key 3 packet is at most 20 bytes', {
          length: packet.length,
        }),
      );
    }
    return this.writeValue(packet, true);
  }
}

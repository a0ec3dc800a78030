// One small interface for every link to a key, in the spirit of Ledger's
// hw-transport: the application never knows whether it talks over USB HID or
// Bluetooth LE. A Transport moves whole messages (docs/protocol.md §4: a command
// byte + CBOR map, encoded by device/protocol/message-codec); each
// implementation does its own framing (CTAPHID reports, GATT fragments),
// keepalive handling and cancellation.
import type { DeviceError } from '../errors/device-error';

export type LinkKind = 'usb' | 'ble';

/** What the key says while it works on a request (CTAPHID / FIDO-BLE KEEPALIVE). */
export type KeepaliveStatus = 'processing' | 'upNeeded';

export interface ExchangeOptions {
  /**
   * Time limit for the answer. Every keepalive from the key restarts it: a key
   * that says it is still working (or waiting for its button) is not timed out.
   */
  readonly timeoutMs: number;
  /** Aborting sends the link's CANCEL and rejects with DeviceError Cancelled. */
  readonly signal?: AbortSignal;
  /** Called when the key's keepalive status changes (e.g. 'upNeeded': press the button). */
  readonly onKeepalive?: (status: KeepaliveStatus) => void;
}

/** A link found by discovery, before it is opened. */
export interface TransportDescriptor {
  /** Stable for the physical link: the HID path, or the BLE peripheral's address. */
  readonly id: string;
  readonly link: LinkKind;
  /** A name to show (the HID product string, the BLE local name). */
  readonly name: string;
  /**
   * The serial number when the link tells it before opening (USB iSerial), or what the
   * key's family calls it until it names itself (a Key 3: its BLE address).
   */
  readonly serialHint?: string;
  /** BLE signal strength in dBm, when known. */
  readonly rssi?: number;
}

export interface Transport {
  readonly descriptor: TransportDescriptor;
  /** False once closed or disconnected; every exchange then fails with Disconnected. */
  readonly isOpen: boolean;
  /**
   * Sends one message and resolves with the key's response message. One
   * exchange at a time: a second concurrent call is refused with DeviceError
   * Busy (the device manager's per-key queue serialises callers). Fails with a
   * typed DeviceError (Disconnected, Timeout, Cancelled, Busy, LinkError,
   * Protocol); never hangs past its timeout.
   */
  exchange(message: Uint8Array, options: ExchangeOptions): Promise<Uint8Array>;
  /** Link-level echo (CTAPHID PING / BLE PING): proves the link works end to end. */
  ping(data: Uint8Array, options: ExchangeOptions): Promise<Uint8Array>;
  /** Unsolicited event messages from the key (docs/protocol.md §6), as bytes. Returns an unsubscribe function. */
  onEvent(listener: (message: Uint8Array) => void): () => void;
  /** Fires once when the link goes away (unplug, link loss, close). Returns an unsubscribe function. */
  onDisconnect(listener: (reason: DeviceError) => void): () => void;
  /** Closes the link cleanly; an exchange in flight fails with Disconnected. Idempotent. */
  close(): Promise<void>;
}

/** Finds keys on one kind of link and opens them. */
export interface TransportDiscovery {
  readonly link: LinkKind;
  /**
   * Starts watching for keys: `added` for every key present now and every
   * arrival, `removed` on departure. Returns a function that stops watching.
   */
  watch(observer: DiscoveryObserver): () => void;
  open(descriptor: TransportDescriptor): Promise<Transport>;
}

export interface DiscoveryObserver {
  added(descriptor: TransportDescriptor): void;
  removed(id: string): void;
  /** The link itself changed state (e.g. Bluetooth powered off, unavailable). */
  availability?(state: LinkAvailability): void;
}

/**
 * Whether a kind of link can be used at all on this machine. BLE mirrors
 * noble's adapter states plus 'unavailable' (noble or the adapter could not
 * be loaded at all, as on a machine without Bluetooth).
 */
export type LinkAvailability =
  | { readonly link: LinkKind; readonly state: 'ready' }
  | {
      readonly link: LinkKind;
      readonly state:
        'unavailable' | 'unsupported' | 'unauthorized' | 'poweredOff' | 'resetting' | 'unknown';
      /** A short, non-secret explanation for the UI and logs. */
      readonly detail?: string;
    };

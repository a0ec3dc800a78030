// The key-family seam. A KeyDiscovery finds keys of one or more families on one
// kind of link and opens them; what it opens is a KeyConnection: one key over one
// link, already identified (its KeyInfo), that performs family-neutral operations
// and pushes family-neutral events. The device manager and everything above it
// see only these two interfaces, never a family's framing, crypto or commands.
import type { KeyInfo } from '../../shared/key/key-info';
import type { DeviceError } from '../errors/device-error';
import type {
  DiscoveryObserver,
  ExchangeOptions,
  LinkKind,
  TransportDescriptor,
} from '../transport/transport';
import type { KeyEvent } from './key-events';
import type { KeyAnswer, KeyOperation } from './key-operations';

/** The key families the companion speaks: our open protocol, and the Hideez Key 3's. */
export type KeyFamily = 'open' | 'key3';

export interface OpenKeyOptions {
  /** Time limit for identifying the key once the link is up (its GetInfo). */
  readonly infoTimeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface KeyConnection {
  readonly descriptor: TransportDescriptor;
  readonly family: KeyFamily;
  /** What the key said when it was opened; its serialNo identifies the key. */
  readonly info: KeyInfo;
  /** False once closed or disconnected; every operation then fails with Disconnected. */
  readonly isOpen: boolean;
  /**
   * Throws the family's ProtocolError for an operation it could never send (a PIN
   * too long for its wire format), so a caller learns it before queueing.
   */
  check(operation: KeyOperation): void;
  /**
   * Performs one operation (one or more exchanges with the key). One at a time: the
   * device manager's per-key queue serialises callers. Rejects with a typed
   * DeviceError (Disconnected, Timeout, Cancelled, Busy, LinkError, Protocol) or the
   * family's ProtocolError for bad input; never hangs past its timeout.
   */
  perform(operation: KeyOperation, options: ExchangeOptions): Promise<KeyAnswer>;
  onEvent(listener: (event: KeyEvent) => void): () => void;
  /** Fires once when the link goes away (unplug, link loss, close). */
  onDisconnect(listener: (reason: DeviceError) => void): () => void;
  /** Closes the link cleanly; an operation in flight fails with Disconnected. Idempotent. */
  close(): Promise<void>;
}

/** Finds keys on one kind of link (of whichever families it knows) and opens them. */
export interface KeyDiscovery {
  readonly link: LinkKind;
  /**
   * Starts watching: `added` for every key present now and every arrival (again on a
   * notable RSSI change), `removed` on departure. Returns a function that stops it.
   */
  watch(observer: DiscoveryObserver): () => void;
  /** Opens and identifies the key. Rejects with a DeviceError (OpenFailed, BluetoothUnavailable, …). */
  open(descriptor: TransportDescriptor, options: OpenKeyOptions): Promise<KeyConnection>;
}

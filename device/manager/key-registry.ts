// Keys by serial number. A link is only known to belong to a key once the key
// answered GetInfo on it (or the link told a serial before opening, as USB's
// iSerial does); links with the same serial are one key. A key is forgotten
// (removed) when it has no open link, none opening, and discovery sees none of
// its links: it is physically gone. Until then it stays, 'disconnected', so
// the UI can say so and requests fail with Disconnected rather than "unknown".
import { type DeviceError, DeviceErrorKind } from '../errors/device-error';
import type { KeyConnection } from '../key/key-connection';
import type { KeyEvent } from '../key/key-events';
import type { TransportDescriptor } from '../transport/transport';
import type { KeyRecord } from './key-record';
import { ManagedKey } from './managed-key';

/** Open failures the user has to act on (pair the key; it is not genuine). */
const ASK_THE_USER: ReadonlySet<string> = new Set([
  DeviceErrorKind.PairingRequired,
  DeviceErrorKind.NotGenuine,
]);

export interface KeyRegistryHooks {
  added(record: KeyRecord): void;
  changed(record: KeyRecord): void;
  removed(serialNo: string): void;
  event(serialNo: string, event: KeyEvent): void;
}

export interface KeyRegistryOptions {
  readonly infoTimeoutMs: number;
  readonly graceMs?: number;
  /** Whether discovery still sees a link (decides when a key is gone). */
  readonly isDiscovered: (linkId: string) => boolean;
}

interface Entry {
  readonly key: ManagedKey;
  /** Every link id seen for this key while it is known. */
  readonly linkIds: Set<string>;
}

export class KeyRegistry {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly hooks: KeyRegistryHooks,
    private readonly options: KeyRegistryOptions,
  ) {}

  get(serialNo: string): ManagedKey | undefined {
    return this.#entries.get(serialNo)?.key;
  }

  records(): KeyRecord[] {
    return [...this.#entries.values()].map((e) => e.key.record());
  }

  /** A link starts opening: shows its key as 'connecting' when the serial is known. */
  opening(descriptor: TransportDescriptor): void {
    const serialNo = this.#serialOf(descriptor.id) ?? descriptor.serialHint;
    if (serialNo === undefined) return;
    this.#entry(serialNo, descriptor.id).key.connecting(descriptor.id, true);
  }

  openFailed(descriptor: TransportDescriptor, error: DeviceError, final: boolean): void {
    const serialNo = this.#serialOf(descriptor.id);
    const entry = serialNo === undefined ? undefined : this.#entries.get(serialNo);
    if (!entry) return;
    // What the user must act on is shown at the first failure, not after every retry.
    if (final || ASK_THE_USER.has(error.code)) entry.key.openFailed(descriptor.id, error);
    this.#forgetIfGone(entry);
  }

  attach(link: KeyConnection): void {
    const { id } = link.descriptor;
    const serialNo = link.info.serialNo;
    // The link said another serial than the key does: the key is right.
    for (const other of this.#entries.values()) {
      if (other.key.serialNo !== serialNo && other.linkIds.delete(id)) {
        other.key.connecting(id, false);
        this.#forgetIfGone(other);
      }
    }
    this.#entry(serialNo, id).key.attach(link);
  }

  lost(descriptor: TransportDescriptor, serialNo: string, reason: DeviceError): void {
    const entry = this.#entries.get(serialNo);
    if (!entry) return;
    entry.key.detach(descriptor.id, reason);
    this.#forgetIfGone(entry);
  }

  gone(descriptor: TransportDescriptor): void {
    const serialNo = this.#serialOf(descriptor.id);
    const entry = serialNo === undefined ? undefined : this.#entries.get(serialNo);
    if (!entry) return;
    entry.key.connecting(descriptor.id, false);
    this.#forgetIfGone(entry);
  }

  /** The link ids seen for a key. */
  linkIdsOf(serialNo: string): readonly string[] {
    return [...(this.#entries.get(serialNo)?.linkIds ?? [])];
  }

  setRssi(descriptor: TransportDescriptor, serialNo: string): void {
    this.#entries.get(serialNo)?.key.setRssi(descriptor.id, descriptor.rssi);
  }

  /** Closes every key (jobs fail with `reason`) and forgets them all. */
  async closeAll(reason: DeviceError): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((e) => e.key.close(reason)));
    for (const entry of entries) this.hooks.removed(entry.key.serialNo);
  }

  #entry(serialNo: string, linkId: string): Entry {
    let entry = this.#entries.get(serialNo);
    if (!entry) {
      let created = false;
      const key: ManagedKey = new ManagedKey(serialNo, {
        infoTimeoutMs: this.options.infoTimeoutMs,
        ...(this.options.graceMs !== undefined ? { graceMs: this.options.graceMs } : {}),
        // The first change of a new key is its arrival.
        changed: () => {
          if (this.#entries.get(serialNo)?.key !== key) return;
          if (created) this.hooks.changed(key.record());
          else {
            created = true;
            this.hooks.added(key.record());
          }
        },
        event: (event) => this.hooks.event(serialNo, event),
      });
      entry = { key, linkIds: new Set() };
      this.#entries.set(serialNo, entry);
    }
    entry.linkIds.add(linkId);
    return entry;
  }

  #serialOf(linkId: string): string | undefined {
    for (const [serialNo, entry] of this.#entries) if (entry.linkIds.has(linkId)) return serialNo;
    return undefined;
  }

  #forgetIfGone(entry: Entry): void {
    if (entry.key.state !== 'disconnected') return;
    if ([...entry.linkIds].some((id) => this.options.isDiscovered(id))) return;
    this.#entries.delete(entry.key.serialNo);
    void entry.key.close(entry.key.disconnectedError());
    this.hooks.removed(entry.key.serialNo);
  }
}

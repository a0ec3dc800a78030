// Where each vault is connected and how the domain reaches it (hes-contract.md §4.9, §5.2):
// the workstations a vault was announced through (Initializing, until Offline or the AppHub
// goes), and one remote job at a time over a reused channel through one of them — a sealed
// channel for an open-protocol key, the Key 3's own verified channel 4 for a Hideez Key 3.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import type { HesStore } from '../store/hes-store';
import { hesError } from './envelope';
import { Key3RemoteVault } from './key3-remote-vault';
import type { VaultRelay } from './ports';
import { RemoteChannels, SealedRemoteVault, type RemoteVault } from './remote-vault';

export class VaultSessions {
  /** vaultId → workstations it was announced through (not persisted). */
  readonly #connectedVia = new Map<string, Set<string>>();
  readonly #channels: RemoteChannels;

  constructor(
    private readonly store: HesStore,
    relay: VaultRelay,
    private readonly key3VendorKey: Uint8Array,
    private readonly now: () => Date,
  ) {
    this.#channels = new RemoteChannels((vaultId, ws) => relay.open(vaultId, ws));
  }

  /** The vault reported Initializing through this workstation. */
  announce(vaultId: string, ws: string): void {
    const set = this.#connectedVia.get(vaultId) ?? new Set<string>();
    set.add(ws);
    this.#connectedVia.set(vaultId, set);
  }

  /** The vault is gone from this workstation (Offline): its channel there ends. */
  forget(vaultId: string, ws: string): void {
    const set = this.#connectedVia.get(vaultId);
    if (!set?.delete(ws)) return;
    if (set.size === 0) this.#connectedVia.delete(vaultId);
    this.#channels.drop(vaultId, ws);
  }

  /** The workstation's AppHub connection is gone: every vault it announced, and its channels. */
  workstationGone(ws: string): void {
    this.#channels.dropWorkstation(ws);
    for (const vaultId of [...this.#connectedVia.keys()]) this.forget(vaultId, ws);
  }

  /** The workstations the vault is announced through. */
  connectedVia(vaultId: string): readonly string[] {
    return [...(this.#connectedVia.get(vaultId) ?? [])];
  }

  /** Runs a remote job; 511 unless the vault was announced through this workstation. */
  run<T>(vaultId: string, ws: string, job: (remote: RemoteVault) => Promise<T>): Promise<T> {
    if (!this.#connectedVia.get(vaultId)?.has(ws)) {
      return Promise.reject(hesError(HesErrorCode.DeviceNotConnectedToAnyHost));
    }
    const family = this.store.vaults.get(vaultId)?.keyFamily;
    return this.#channels.run(vaultId, ws, (channel) =>
      job(
        family === 'key3'
          ? new Key3RemoteVault(this.store, vaultId, channel, this.key3VendorKey, this.now)
          : new SealedRemoteVault(this.store, vaultId, channel),
      ),
    );
  }
}

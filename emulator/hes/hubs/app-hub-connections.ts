// The workstations' AppHub connections as HES keeps them (hes-contract.md §4.9). It is the
// domain's WorkstationNotifier:
// - RWCS's dictionary: workstation id → the connection whose RegisterWorkstationInfo named it
//   (dto.id, not the header), the last registration winning. Pushes go there, and it is what
//   "online" means. An entry goes only when a connection whose WorkstationId header is that id
//   disconnects, whichever connection the entry holds (HES removes by key).
// - DRC's announcements: (vault, workstation) → the connection whose UpdateHwVaultProperties
//   (Initializing) announced the vault, the first one kept (HES's TryAdd).
//   EstablishRemoteHwVaultConnection(serial, …) goes there; the registered connection is only
//   a fallback for a relay used without the AppHub (the domain asks only for announced vaults).
import type { WorkstationNotifier } from '../domain/ports';

/** The part of an AppHub connection the registry needs (a HubCaller fits). */
export interface AppHubPeer {
  readonly connectionId: string;
  send(target: string, ...args: unknown[]): void;
}

export const ESTABLISH_REMOTE_CONNECTION = 'EstablishRemoteHwVaultConnection';

export class AppHubConnections implements WorkstationNotifier {
  private readonly registered = new Map<string, AppHubPeer>();
  /** workstation id → vault id → the announcing connection. */
  private readonly announcers = new Map<string, Map<string, AppHubPeer>>();

  /** RegisterWorkstationInfo: `peer` is now the workstation's live connection. */
  register(workstationId: string, peer: AppHubPeer): void {
    this.registered.set(workstationId, peer);
  }

  /** register() under its earlier name, for callers outside the AppHub (relay tests). */
  bind(workstationId: string, peer: AppHubPeer): void {
    this.register(workstationId, peer);
  }

  /** The vault was announced (Initializing) through the workstation on this connection. */
  announced(vaultId: string, workstationId: string, peer: AppHubPeer): void {
    const vaults = this.announcers.get(workstationId) ?? new Map<string, AppHubPeer>();
    if (!vaults.has(vaultId)) vaults.set(vaultId, peer);
    this.announcers.set(workstationId, vaults);
  }

  /** The vault reported Offline through the workstation. */
  vaultGone(vaultId: string, workstationId: string): void {
    const vaults = this.announcers.get(workstationId);
    vaults?.delete(vaultId);
    if (vaults?.size === 0) this.announcers.delete(workstationId);
  }

  /** A connection whose WorkstationId header is `workstationId` disconnected. */
  disconnected(workstationId: string): void {
    this.registered.delete(workstationId);
    this.announcers.delete(workstationId);
  }

  send(workstationId: string, target: string, ...args: unknown[]): boolean {
    const announcer =
      target === ESTABLISH_REMOTE_CONNECTION
        ? this.announcers.get(workstationId)?.get(String(args[0]))
        : undefined;
    const peer = announcer ?? this.registered.get(workstationId);
    if (!peer) return false;
    peer.send(target, ...args);
    return true;
  }

  online(): readonly string[] {
    return [...this.registered.keys()];
  }
}

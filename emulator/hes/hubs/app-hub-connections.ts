// The workstations' live AppHub connections (hes-contract.md §4.9): one per workstation id, the
// last one to connect or register wins. It is the domain's WorkstationNotifier: server → client
// calls (EstablishRemoteHwVaultConnection, SetAlarmState, …) go to the live connection.
import type { WorkstationNotifier } from '../domain/ports';

/** The part of an AppHub connection the registry needs (a HubCaller fits). */
export interface AppHubPeer {
  readonly connectionId: string;
  send(target: string, ...args: unknown[]): void;
}

export class AppHubConnections implements WorkstationNotifier {
  private readonly live = new Map<string, AppHubPeer>();

  /** Makes `peer` the workstation's live connection (replacing an older one). */
  bind(workstationId: string, peer: AppHubPeer): void {
    this.live.set(workstationId, peer);
  }

  /**
   * The connection is gone: returns the workstation ids for which it was the live connection
   * (a workstation that has reconnected meanwhile keeps its newer connection).
   */
  unbind(connectionId: string): string[] {
    const lost: string[] = [];
    for (const [workstationId, peer] of this.live) {
      if (peer.connectionId === connectionId) lost.push(workstationId);
    }
    for (const workstationId of lost) this.live.delete(workstationId);
    return lost;
  }

  send(workstationId: string, target: string, ...args: unknown[]): boolean {
    const peer = this.live.get(workstationId);
    if (!peer) return false;
    peer.send(target, ...args);
    return true;
  }

  online(): readonly string[] {
    return [...this.live.keys()];
  }
}

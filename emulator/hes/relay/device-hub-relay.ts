// The stand-in's VaultRelay over /deviceHub (hes-contract.md §4.7, §5.2). EstablishRemoteHwVault
// Connection(serial, 4) goes to the workstation's AppHub connection; a /deviceHub connection
// carrying non-blank DeviceId and WorkstationId headers is offered to the domain, which accepts
// it when the vault is announced through that workstation (HES DeviceHub.OnConnectedAsync →
// RDCS.OnDeviceHubConnected). An accepted connection is the pair's channel (HES's
// DeviceConnectionContainer, one per vault and workstation) until a device hub of that pair
// disconnects. The stand-in never closes a device-hub connection itself, as HES never does.
import { HES_REMOTE_CHANNEL } from '../../../shared/hes/dto';
import {
  NonHideezError,
  NonHideezReason,
  type DeviceHubListener,
  type RemoteJobOutcome,
  type VaultRelay,
  type WorkstationNotifier,
} from '../domain/ports';
import {
  DeviceHubChannel,
  type DeviceHubPeer,
  type RemoteReplyOutcome,
  type ReplyKind,
} from './device-hub-channel';

export const DEFAULT_SETUP_TIMEOUT_MS = 20_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

export interface DeviceHubRelayOptions {
  readonly notifier: WorkstationNotifier;
  /** From EstablishRemoteHwVaultConnection to a verified session (HES: 20 s, then 512). */
  readonly setupTimeoutMs?: number;
  /** One round trip on the channel (the SDK's 30 s). */
  readonly commandTimeoutMs?: number;
  /** What the domain's background jobs end with (HES logs it). */
  readonly onOutcome?: (outcome: RemoteJobOutcome) => void;
  /**
   * A device hub of the pair closed: HES drops the announcement, and with it the AppHub
   * connection it captured for EstablishRemoteHwVaultConnection.
   */
  readonly onPairGone?: (vaultId: string, workstationId: string) => void;
}

/** A /deviceHub connection as the hub sees it: the peer plus its (lower-cased) request headers. */
export interface DeviceHubConnection extends DeviceHubPeer {
  readonly headers: Readonly<Record<string, string>>;
}

/** Why a device-hub reply finds nothing to answer (HES's texts, hes-contract.md §4.7). */
export const DeviceHubRefusal = {
  /** The connection carries no ids: HES's GetDeviceId throws first. */
  NoIds: 'DeviceHub does not contain DeviceId!',
  /** No container for the connection's (vault, workstation). */
  NoDevice: 'Cannot find remote device in the DeviceHub',
} as const;
export type DeviceHubRefusal = (typeof DeviceHubRefusal)[keyof typeof DeviceHubRefusal];

interface Pair {
  readonly vaultId: string;
  readonly workstationId: string;
}

const pairKey = ({ vaultId, workstationId }: Pair): string =>
  JSON.stringify([vaultId, workstationId]);

/** HES's string.IsNullOrWhiteSpace. */
const isBlank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

export class DeviceHubRelay implements VaultRelay {
  readonly setupTimeoutMs: number;
  private readonly notifier: WorkstationNotifier;
  private readonly commandTimeoutMs: number;
  private readonly onOutcome: (outcome: RemoteJobOutcome) => void;
  private readonly onPairGone: (vaultId: string, workstationId: string) => void;
  private listener: DeviceHubListener | undefined;
  /** connectionId → the ids its headers carried (HES: Context.Items). */
  private readonly ids = new Map<string, Pair>();
  /** The pair's channel (HES: _connectionContainers). */
  private readonly containers = new Map<string, DeviceHubChannel>();
  private closed = false;

  constructor(options: DeviceHubRelayOptions) {
    this.notifier = options.notifier;
    this.setupTimeoutMs = options.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS;
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.onOutcome = options.onOutcome ?? (() => undefined);
    this.onPairGone = options.onPairGone ?? (() => undefined);
  }

  listen(listener: DeviceHubListener): void {
    this.listener = listener;
  }

  establish(vaultId: string, workstationId: string): boolean {
    if (this.closed) return false;
    return this.notifier.send(
      workstationId,
      'EstablishRemoteHwVaultConnection',
      vaultId,
      HES_REMOTE_CHANNEL,
    );
  }

  logOutcome(outcome: RemoteJobOutcome): void {
    this.onOutcome(outcome);
  }

  /** /deviceHub onConnected: with both ids, offered to the domain. */
  deviceHubConnected(connection: DeviceHubConnection): void {
    const vaultId = connection.headers['deviceid'];
    const workstationId = connection.headers['workstationid'];
    // Without both ids HES only logs; the connection stays and its replies answer 1001.
    if (this.closed || vaultId === undefined || workstationId === undefined) return;
    if (isBlank(vaultId) || isBlank(workstationId)) return;
    const pair = { vaultId, workstationId };
    this.ids.set(connection.connectionId, pair);
    // HES's GetOrAdd: a pair that already has a container keeps it (and its connection).
    const key = pairKey(pair);
    const channel =
      this.containers.get(key) ??
      new DeviceHubChannel(vaultId, workstationId, connection, this.commandTimeoutMs);
    if (this.listener?.deviceHubConnected(vaultId, workstationId, channel)) {
      this.containers.set(key, channel);
    }
  }

  /**
   * /deviceHub onDisconnected (HES RDCS.OnDeviceHubDisconnected): the pair's container goes,
   * whichever connection made it, a request waiting on it fails at once (1001: the SDK's own
   * text for a shut Device is not visible), and the domain forgets the announcement.
   */
  deviceHubDisconnected(connectionId: string): void {
    const pair = this.ids.get(connectionId);
    if (!pair) return;
    this.ids.delete(connectionId);
    const key = pairKey(pair);
    const channel = this.containers.get(key);
    this.containers.delete(key);
    channel?.end(
      new NonHideezError(
        NonHideezReason.DeviceHubClosed,
        'The device hub connection of the remote vault was closed',
      ),
    );
    this.onPairGone(pair.vaultId, pair.workstationId);
    this.listener?.deviceHubDisconnected(pair.vaultId, pair.workstationId);
  }

  /**
   * A RemoteCommandResponse, VerifyCommandResponse or GetRootKeyCommandResponse: delivered to
   * the pair's channel (Ok even when nobody waits for it), or the refusal HES answers.
   */
  response(
    connectionId: string,
    outcome: RemoteReplyOutcome,
    kind: ReplyKind,
  ): DeviceHubRefusal | undefined {
    const pair = this.ids.get(connectionId);
    if (!pair) return DeviceHubRefusal.NoIds;
    const channel = this.containers.get(pairKey(pair));
    if (!channel) return DeviceHubRefusal.NoDevice;
    channel.deliver(outcome, kind);
    return undefined;
  }

  /** Whether the connection's pair has a channel (a reply on it would be delivered). */
  hasSession(connectionId: string): boolean {
    const pair = this.ids.get(connectionId);
    return pair !== undefined && this.containers.has(pairKey(pair));
  }

  /**
   * The vault reported Offline through that workstation. HES shuts its Device (the domain
   * does that) but keeps the device-hub connection and its container: nothing to do here.
   */
  vaultOffline(_vaultId: string, _workstationId: string): void {
    // Kept for the AppHub's call; see above.
  }

  /** The workstation's AppHub connection is gone: as vaultOffline, nothing at this layer. */
  workstationDisconnected(_workstationId: string): void {
    // Kept for the AppHub's call; see above.
  }

  /** Server shutdown: every waiting request fails and the domain stops waiting for set-ups. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const closing = new NonHideezError(NonHideezReason.Closing, 'The server is shutting down');
    for (const channel of this.containers.values()) channel.end(closing);
    this.containers.clear();
    this.ids.clear();
    this.listener?.relayClosed();
  }
}

// The stand-in's VaultRelay over /deviceHub (hes-contract.md §5.2): to reach a vault it asks the
// workstation (EstablishRemoteHwVaultConnection(serial, 4) on its AppHub connection) to open a
// /deviceHub connection carrying the DeviceId and WorkstationId headers, then relays sealed
// commands over it. One session per (vault, workstation), reused while it lives; concurrent opens
// share one pending set-up. HES verifies the channel with the SDK cryptolib (SendVerifyCommand,
// SendGetRootKeyCommand); our keys have none: the sealed remote channel authenticates itself.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { HES_REMOTE_CHANNEL } from '../../../shared/hes/dto';
import {
  HesCodeError,
  type VaultChannel,
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
  /** How long a workstation has to open its /deviceHub connection (HES: 20 s, then 512). */
  readonly setupTimeoutMs?: number;
  /** How long one relayed command may take (HES: 30 s). */
  readonly commandTimeoutMs?: number;
}

/** A /deviceHub connection as the hub sees it: the peer plus its (lower-cased) request headers. */
export interface DeviceHubConnection extends DeviceHubPeer {
  readonly headers: Readonly<Record<string, string>>;
}

interface PendingSetup {
  readonly workstationId: string;
  readonly promise: Promise<DeviceHubChannel>;
  readonly resolve: (channel: DeviceHubChannel) => void;
  readonly reject: (e: HesCodeError) => void;
  readonly timer: NodeJS.Timeout;
}

const pairKey = (vaultId: string, workstationId: string): string =>
  JSON.stringify([vaultId, workstationId]);

export class DeviceHubRelay implements VaultRelay {
  private readonly notifier: WorkstationNotifier;
  private readonly setupTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly channels = new Map<string, DeviceHubChannel>();
  private readonly byConnection = new Map<string, DeviceHubChannel>();
  private readonly pending = new Map<string, PendingSetup>();

  constructor(options: DeviceHubRelayOptions) {
    this.notifier = options.notifier;
    this.setupTimeoutMs = options.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS;
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  open(vaultId: string, workstationId: string): Promise<VaultChannel> {
    const key = pairKey(vaultId, workstationId);
    const live = this.channels.get(key);
    if (live?.isOpen) return Promise.resolve(live);
    const waiting = this.pending.get(key);
    if (waiting) return waiting.promise;

    let resolve!: (channel: DeviceHubChannel) => void;
    let reject!: (e: HesCodeError) => void;
    const promise = new Promise<DeviceHubChannel>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const timer = setTimeout(() => {
      this.pending.delete(key);
      reject(
        new HesCodeError(
          HesErrorCode.RemoteConnectionTimedOut,
          'The workstation did not open the remote vault channel in time',
        ),
      );
    }, this.setupTimeoutMs);
    const setup: PendingSetup = { workstationId, promise, resolve, reject, timer };
    this.pending.set(key, setup);
    const sent = this.notifier.send(
      workstationId,
      'EstablishRemoteHwVaultConnection',
      vaultId,
      HES_REMOTE_CHANNEL,
    );
    if (!sent) this.failSetup(key, workstationOffline());
    return promise;
  }

  /** /deviceHub onConnected: completes the pending set-up its headers name, if any. */
  deviceHubConnected(connection: DeviceHubConnection): void {
    const vaultId = connection.headers['deviceid'];
    const workstationId = connection.headers['workstationid'];
    // Without both headers, or with nobody waiting for it, the connection stays open but
    // unusable, as on HES: its RemoteCommandResponse calls answer 1001.
    if (!vaultId || !workstationId) return;
    const key = pairKey(vaultId, workstationId);
    const setup = this.pending.get(key);
    if (!setup) return;
    this.pending.delete(key);
    clearTimeout(setup.timer);
    const channel = new DeviceHubChannel(
      vaultId,
      workstationId,
      connection,
      this.commandTimeoutMs,
      (ended) => this.forget(ended),
    );
    this.closeChannel(this.channels.get(key));
    this.channels.set(key, channel);
    this.byConnection.set(connection.connectionId, channel);
    setup.resolve(channel);
  }

  /** /deviceHub onDisconnected: the session ends and a waiting command fails at once. */
  deviceHubDisconnected(connectionId: string): void {
    this.byConnection.get(connectionId)?.end(deviceHubGone());
  }

  /**
   * A RemoteCommandResponse (or, with `kind`, a VerifyCommandResponse or
   * GetRootKeyCommandResponse) from a /deviceHub connection; false when it has no session.
   */
  remoteCommandResponse(
    connectionId: string,
    outcome: RemoteReplyOutcome,
    kind: ReplyKind = 'remoteCommand',
  ): boolean {
    const channel = this.byConnection.get(connectionId);
    if (!channel?.isOpen) return false;
    // A reply nobody waits for (e.g. after a timeout) is dropped; the session is still there.
    channel.deliver(outcome, kind);
    return true;
  }

  /** Whether the /deviceHub connection carries a live session. */
  hasSession(connectionId: string): boolean {
    return this.byConnection.get(connectionId)?.isOpen ?? false;
  }

  /** The vault reported Offline through that workstation: end its session there. */
  vaultOffline(vaultId: string, workstationId: string): void {
    const key = pairKey(vaultId, workstationId);
    this.failSetup(key, workstationOffline());
    this.closeChannel(this.channels.get(key));
  }

  /** The workstation's AppHub connection is gone: end all of its sessions and set-ups. */
  workstationDisconnected(workstationId: string): void {
    for (const [key, setup] of [...this.pending]) {
      if (setup.workstationId === workstationId) this.failSetup(key, workstationOffline(), setup);
    }
    for (const channel of [...this.channels.values()]) {
      if (channel.workstationId === workstationId) this.closeChannel(channel);
    }
  }

  /** Server shutdown: every set-up and session ends. */
  close(): void {
    for (const [key, setup] of [...this.pending]) this.failSetup(key, workstationOffline(), setup);
    for (const channel of [...this.channels.values()]) this.closeChannel(channel);
  }

  private closeChannel(channel: DeviceHubChannel | undefined): void {
    channel?.close();
  }

  private failSetup(
    key: string,
    reason: HesCodeError,
    setup: PendingSetup | undefined = this.pending.get(key),
  ): void {
    if (!setup) return;
    this.pending.delete(key);
    clearTimeout(setup.timer);
    setup.reject(reason);
  }

  private forget(channel: DeviceHubChannel): void {
    const key = pairKey(channel.vaultId, channel.workstationId);
    if (this.channels.get(key) === channel) this.channels.delete(key);
    if (this.byConnection.get(channel.peer.connectionId) === channel) {
      this.byConnection.delete(channel.peer.connectionId);
    }
  }
}

const workstationOffline = (): HesCodeError =>
  new HesCodeError(
    HesErrorCode.HesFailedEstablishRemoteDeviceConnection,
    'The workstation is not connected',
  );

const deviceHubGone = (): HesCodeError =>
  new HesCodeError(HesErrorCode.HesDeviceHubDisconnected, 'The device hub connection was closed');

// The stand-in domain's ports: how the domain reaches a key through a workstation (VaultRelay,
// the /deviceHub side, hes-contract.md §4.7, §5.2) and how it pushes calls to workstations
// (WorkstationNotifier). emulator/hes/relay implements the relay over SignalR; the domain tests
// implement it directly over a virtual key.
import { CompanionError, type CompanionErrorJson } from '../../../shared/errors/companion-error';

/**
 * The /deviceHub side as HES's DeviceRemoteConnections uses it. The domain asks for a channel
 * (EstablishRemoteHwVaultConnection) and learns of device-hub connections through its
 * listener; it never closes one (HES never does).
 */
export interface VaultRelay {
  /** HES: 20 s from EstablishRemoteHwVaultConnection to a verified session, else 512. */
  readonly setupTimeoutMs: number;
  /** The domain's end of the device-hub connections (VaultSessions registers itself once). */
  listen(listener: DeviceHubListener): void;
  /**
   * EstablishRemoteHwVaultConnection(serial, 4) on the workstation's AppHub connection. HES
   * sends it without asking whether anyone is there; false only says nobody received it.
   */
  establish(vaultId: string, workstationId: string): boolean;
  /** HES logs what its background jobs end with; the relay's owner receives it here. */
  logOutcome(outcome: RemoteJobOutcome): void;
}

/** What the domain hears from /deviceHub (HES: RDCS.OnDeviceHubConnected / Disconnected). */
export interface DeviceHubListener {
  /**
   * A device-hub connection with both headers; true when the vault is announced through that
   * workstation (the connection then carries the pair's replies), false to leave it unused.
   */
  deviceHubConnected(vaultId: string, workstationId: string, channel: VaultChannel): boolean;
  /** A device-hub connection with both headers is gone. */
  deviceHubDisconnected(vaultId: string, workstationId: string): void;
  /** The relay is shutting down: nothing more will connect. */
  relayClosed(): void;
}

/**
 * One vault's device-hub channel (hes-contract.md §4.7): one request at a time, each with a
 * 30 s limit. The bytes are the vault family's own; the channel never reads them.
 */
export interface VaultChannel {
  /** One message out, the key's reply back (SendRemoteCommand → RemoteCommandResponse). */
  exchange(message: Uint8Array): Promise<Uint8Array>;
  /** SendResetChannel(channel): no answer; queued behind the requests before it. */
  resetChannel(channel: number): Promise<void>;
  /** SendVerifyCommand(publicKey, nonce, channel) → VerifyCommandResponse. */
  verify(publicKey: Uint8Array, nonce: Uint8Array, channel: number): Promise<Uint8Array>;
  /** SendGetRootKeyCommand() → GetRootKeyCommandResponse. */
  rootKey(): Promise<Uint8Array>;
}

export interface WorkstationNotifier {
  /** Fire-and-forget call to the workstation's live AppHub connection; false if it is offline. */
  send(workstationId: string, target: string, ...args: unknown[]): boolean;
  /** Workstation ids with a live AppHub connection. */
  online(): readonly string[];
}

/** The outcome of a job nobody waits for: a server-started session, or a set-up that lost. */
export interface RemoteJobOutcome {
  readonly vaultId: string;
  /** HES's method name: UpdateHardwareVaultStatus, UpdateHardwareVaultAccounts, VerifyAndInitialize. */
  readonly job: string;
  /** 0 when it succeeded. */
  readonly code: number;
  readonly message: string;
}

/** An error carrying a HideezErrorCode, turned into the envelope by the domain. */
export class HesCodeError extends CompanionError<number> {
  override readonly name = 'HesCodeError';

  constructor(code: number, message?: string) {
    super(code, message ?? `HideezErrorCode ${code}`);
  }
}

/** Why a remote step failed where HES answers 1001 with the exception's text. */
export const NonHideezReason = {
  /** A round trip passed its 30 s limit (.NET TimeoutException). */
  Timeout: 'timeout',
  /** The device-hub connection went while a request waited on it. */
  DeviceHubClosed: 'deviceHubClosed',
  /** The session was shut (vault Offline, AppHub or device hub gone). */
  SessionShut: 'sessionShut',
  /** The workstation answered a set-up step with an error text. */
  WorkstationError: 'workstationError',
  /** The key's reply to a set-up step or command did not check out. */
  BadReply: 'badReply',
  /** HES dereferences something missing (NullReferenceException). */
  NullReference: 'nullReference',
  /** HES's own HESException (resource sentence). */
  HesException: 'hesException',
  /** Not modelled yet (remote tasks, 4.22). */
  NotModelled: 'notModelled',
  /** The server is shutting down. */
  Closing: 'closing',
} as const;
export type NonHideezReason = (typeof NonHideezReason)[keyof typeof NonHideezReason];

/**
 * HES's answer to any non-SDK exception: 1001 NonHideezException with the exception's text
 * (the domain's envelope passes this message through). Texts never carry secrets.
 */
export class NonHideezError extends CompanionError<1001> {
  override readonly name = 'NonHideezError';

  constructor(
    readonly reason: NonHideezReason,
    message: string,
  ) {
    super(1001, message);
  }

  override toJSON(): CompanionErrorJson<1001, 'NonHideezError'> & {
    readonly reason: NonHideezReason;
  } {
    return { ...super.toJSON(), reason: this.reason };
  }
}

/** .NET's TimeoutException text, which HES puts in the envelope. */
export const TIMEOUT_TEXT = 'The operation has timed out.';
/** .NET's NullReferenceException text. */
export const NULL_REFERENCE_TEXT = 'Object reference not set to an instance of an object.';

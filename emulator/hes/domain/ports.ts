// The stand-in domain's ports (contract-issue4 "R1 ↔ R2"): how the domain reaches a key through a
// workstation (VaultRelay over /deviceHub) and how it pushes calls to workstations (WorkstationNotifier).
// R2 implements them over SignalR; the domain tests implement VaultRelay directly over a VirtualKey.

/** R2 implements over /deviceHub; R1's tests implement it directly over a VirtualKey (same bytes). */
export interface VaultRelay {
  /** Asks the workstation to open its device-hub channel for the vault (EstablishRemoteHwVaultConnection(serial, 4))
   *  and resolves when it is up; rejects with HesCodeError(512) after 20 s, HesCodeError(605) if the workstation is gone. */
  open(vaultId: string, workstationId: string): Promise<VaultChannel>;
}

/**
 * One vault's remote channel through a workstation (hes-contract.md §4.7, §5.2). HES sets
 * it up with the key's own handshake (a Hideez Key 3's RESET, VERIFY and root-key
 * certificate), then sends every command as one message; each round trip has a 30 s limit.
 */
export interface VaultChannel {
  /** One message out, the key's reply back (SendRemoteCommand → RemoteCommandResponse). */
  exchange(message: Uint8Array): Promise<Uint8Array>;
  /** SendResetChannel(channel): the key drops that channel's session (no answer). */
  resetChannel(channel: number): void;
  /** SendVerifyCommand(publicKey, nonce, channel) → VerifyCommandResponse: the key's VERIFY reply. */
  verify(publicKey: Uint8Array, nonce: Uint8Array, channel: number): Promise<Uint8Array>;
  /** SendGetRootKeyCommand() → GetRootKeyCommandResponse: the key's root-key certificate reply. */
  rootKey(): Promise<Uint8Array>;
  close(): void;
}

export interface WorkstationNotifier {
  /** Fire-and-forget call to the workstation's live AppHub connection; false if it is offline. */
  send(workstationId: string, target: string, ...args: unknown[]): boolean;
  /** Workstation ids with a live AppHub connection. */
  online(): readonly string[];
}

/** An error carrying a HideezErrorCode, turned into the envelope by the domain. */
export class HesCodeError extends Error {
  constructor(
    readonly code: number,
    message?: string,
  ) {
    super(message ?? `HideezErrorCode ${code}`);
    this.name = 'HesCodeError';
  }

  toJSON(): { name: string; code: number; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

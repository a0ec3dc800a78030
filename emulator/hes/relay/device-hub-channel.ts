// One vault's device-hub channel (hes-contract.md §4.7, §5.2), HES's DeviceConnectionContainer:
// the set-up steps go out as SendResetChannel (no answer), SendVerifyCommand and
// SendGetRootKeyCommand (answered by VerifyCommandResponse / GetRootKeyCommandResponse), and
// every command as SendRemoteCommand, answered by the next RemoteCommandResponse. The buffers
// are opaque here. One request at a time: the protocol has no correlation id. Each round trip
// has the SDK's 30 s limit; a timeout fails that request only (HES keeps the connection).
import { randomUUID } from 'node:crypto';
import { HES_REMOTE_CHANNEL, type EncryptedRequest } from '../../../shared/hes/dto';
import { NonHideezError, NonHideezReason, TIMEOUT_TEXT, type VaultChannel } from '../domain/ports';

/** The part of a hub connection the relay uses (a HubCaller of emulator/hes/signalr fits). */
export interface DeviceHubPeer {
  readonly connectionId: string;
  send(target: string, ...args: unknown[]): void;
}

/** What a workstation answered: the key's reply bytes and its error text (null or ""). */
export interface RemoteReplyOutcome {
  readonly bytes: Uint8Array;
  readonly error: string | null;
}

/** Which answer a request waits for. */
export type ReplyKind = 'remoteCommand' | 'verify' | 'rootKey';

interface InFlight {
  readonly kind: ReplyKind;
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export class DeviceHubChannel implements VaultChannel {
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight: InFlight | undefined;
  private ended: Error | undefined;

  constructor(
    readonly vaultId: string,
    readonly workstationId: string,
    readonly peer: DeviceHubPeer,
    private readonly commandTimeoutMs: number,
  ) {}

  get isOpen(): boolean {
    return this.ended === undefined;
  }

  exchange(message: Uint8Array): Promise<Uint8Array> {
    return this.inTurn('remoteCommand', () => {
      const request: EncryptedRequest = {
        buffer: { data: base64(message), channelNo: HES_REMOTE_CHANNEL },
        contextGuid: randomUUID(),
        channelNo: HES_REMOTE_CHANNEL,
      };
      this.peer.send('SendRemoteCommand', request);
    });
  }

  async resetChannel(channel: number): Promise<void> {
    const send = (): void => {
      if (!this.ended) this.peer.send('SendResetChannel', channel);
    };
    const result = this.queue.then(send, send);
    this.queue = result;
    await result;
  }

  verify(publicKey: Uint8Array, nonce: Uint8Array, channel: number): Promise<Uint8Array> {
    // .NET byte[] arguments travel as base64 in SignalR's JSON protocol.
    return this.inTurn('verify', () =>
      this.peer.send('SendVerifyCommand', base64(publicKey), base64(nonce), channel),
    );
  }

  rootKey(): Promise<Uint8Array> {
    return this.inTurn('rootKey', () => this.peer.send('SendGetRootKeyCommand'));
  }

  /**
   * Delivers an answer to the request waiting for this kind; nobody waiting → dropped (HES
   * raises an event nobody listens to). A RemoteCommandResponse's error text is ignored, as
   * HES's container ignores it; a set-up reply's non-empty error fails the step (HES's
   * RemoteVerifyEncryptionProc / RemoteGetRootKeyProc throw it as an Exception).
   */
  deliver(outcome: RemoteReplyOutcome, kind: ReplyKind): void {
    const waiting = this.inFlight;
    if (!waiting || waiting.kind !== kind) return;
    this.inFlight = undefined;
    clearTimeout(waiting.timer);
    if (kind !== 'remoteCommand' && outcome.error !== null && outcome.error !== '') {
      waiting.reject(new NonHideezError(NonHideezReason.WorkstationError, outcome.error));
    } else {
      waiting.resolve(outcome.bytes);
    }
  }

  /** The connection is gone (or the server stops): the waiting request and later ones fail. */
  end(reason: Error): void {
    if (this.ended) return;
    this.ended = reason;
    const waiting = this.inFlight;
    this.inFlight = undefined;
    if (waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(reason);
    }
  }

  /** Queues a request: `send` goes out when the ones before it are answered. */
  private inTurn(kind: ReplyKind, send: () => void): Promise<Uint8Array> {
    const run = (): Promise<Uint8Array> => this.request(kind, send);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private request(kind: ReplyKind, send: () => void): Promise<Uint8Array> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        // The SDK's request timeout (HesRequestTimeout). The connection stays; a late answer
        // is dropped, or, with no correlation id, taken for the next request's (as on HES),
        // which then fails to open.
        if (this.inFlight?.timer !== timer) return;
        this.inFlight = undefined;
        reject(new NonHideezError(NonHideezReason.Timeout, TIMEOUT_TEXT));
      }, this.commandTimeoutMs);
      this.inFlight = { kind, resolve, reject, timer };
      send();
    });
  }
}

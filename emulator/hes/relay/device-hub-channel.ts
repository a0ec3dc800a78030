// One remote-vault session over a /deviceHub connection (hes-contract.md §4.7, §5.2): the
// set-up steps go out as SendResetChannel (no answer), SendVerifyCommand and
// SendGetRootKeyCommand (answered by VerifyCommandResponse / GetRootKeyCommandResponse), and
// every command as SendRemoteCommand, answered by the next RemoteCommandResponse on that
// connection. The buffers are opaque here; the domain protects and opens them. One request at
// a time: the protocol has no correlation id, so a second one waits for the first.
import { randomUUID } from 'node:crypto';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { HES_REMOTE_CHANNEL, type EncryptedRequest } from '../../../shared/hes/dto';
import { HesCodeError, type VaultChannel } from '../domain/ports';

/** The part of a hub connection the relay uses (a HubCaller of emulator/hes/signalr fits). */
export interface DeviceHubPeer {
  readonly connectionId: string;
  send(target: string, ...args: unknown[]): void;
  close(error?: string): void;
}

/** What a workstation answered: the key's reply, or its error text. */
export type RemoteReplyOutcome =
  | { readonly kind: 'reply'; readonly bytes: Uint8Array }
  | { readonly kind: 'error'; readonly error: string };

/** Which answer a request waits for. */
export type ReplyKind = 'remoteCommand' | 'verify' | 'rootKey';

interface InFlight {
  readonly kind: ReplyKind;
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (e: HesCodeError) => void;
  readonly timer: NodeJS.Timeout;
}

const MAX_ERROR_TEXT = 200;

export class DeviceHubChannel implements VaultChannel {
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight: InFlight | undefined;
  private ended: HesCodeError | undefined;

  constructor(
    readonly vaultId: string,
    readonly workstationId: string,
    readonly peer: DeviceHubPeer,
    private readonly commandTimeoutMs: number,
    /** Called once when the channel ends, so the relay forgets it. */
    private readonly onEnded: (channel: DeviceHubChannel) => void,
  ) {}

  get isOpen(): boolean {
    return this.ended === undefined;
  }

  exchange(message: Uint8Array): Promise<Uint8Array> {
    return this.inTurn('remoteCommand', () => {
      const request: EncryptedRequest = {
        buffer: { data: Buffer.from(message).toString('base64'), channelNo: HES_REMOTE_CHANNEL },
        contextGuid: randomUUID(),
        channelNo: HES_REMOTE_CHANNEL,
      };
      this.peer.send('SendRemoteCommand', request);
    });
  }

  resetChannel(channel: number): void {
    if (this.ended) return;
    this.peer.send('SendResetChannel', channel);
  }

  verify(publicKey: Uint8Array, nonce: Uint8Array, channel: number): Promise<Uint8Array> {
    return this.inTurn('verify', () => {
      // .NET byte[] arguments travel as base64 in SignalR's JSON protocol.
      this.peer.send(
        'SendVerifyCommand',
        Buffer.from(publicKey).toString('base64'),
        Buffer.from(nonce).toString('base64'),
        channel,
      );
    });
  }

  rootKey(): Promise<Uint8Array> {
    return this.inTurn('rootKey', () => this.peer.send('SendGetRootKeyCommand'));
  }

  /** Delivers an answer; false when no request was waiting for this kind of answer. */
  deliver(outcome: RemoteReplyOutcome, kind: ReplyKind = 'remoteCommand'): boolean {
    const waiting = this.inFlight;
    if (!waiting || waiting.kind !== kind) return false;
    this.inFlight = undefined;
    clearTimeout(waiting.timer);
    if (outcome.kind === 'reply') {
      waiting.resolve(outcome.bytes);
    } else {
      // The workstation's own text (e.g. the key refused the buffer); it carries no secrets
      // because the companion never sees inside the sealed buffers.
      const text = outcome.error.slice(0, MAX_ERROR_TEXT);
      waiting.reject(
        new HesCodeError(
          HesErrorCode.NonHideezException,
          `The workstation could not relay the remote command: ${text}`,
        ),
      );
    }
    return true;
  }

  /** Ends the session without touching the connection (it is already gone or being dropped). */
  end(reason: HesCodeError): void {
    if (this.ended) return;
    this.ended = reason;
    const waiting = this.inFlight;
    this.inFlight = undefined;
    if (waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(reason);
    }
    this.onEnded(this);
  }

  /** The domain is done with the vault: end the session and close its device-hub connection. */
  close(): void {
    if (this.ended) return;
    this.end(
      new HesCodeError(HesErrorCode.HesDeviceHubDisconnected, 'The remote vault channel is closed'),
    );
    this.peer.close();
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
        // A late reply would be taken for the next command's: drop the whole session instead.
        const timedOut = new HesCodeError(
          HesErrorCode.RemoteConnectionTimedOut,
          'The remote vault did not answer in time',
        );
        this.end(timedOut);
        this.peer.close();
      }, this.commandTimeoutMs);
      this.inFlight = { kind, resolve, reject, timer };
      send();
    });
  }
}

// One remote-vault session over a /deviceHub connection (hes-contract.md §4.7, §5.2): sealed
// commands go out as SendRemoteCommand and the next RemoteCommandResponse on that connection is
// their reply. The buffers are opaque here; the domain seals and opens them. One command at a
// time: the protocol has no correlation id, so a second command waits for the first.
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

/** What a workstation answered with RemoteCommandResponse: the sealed reply, or its error text. */
export type RemoteReplyOutcome =
  | { readonly kind: 'reply'; readonly bytes: Uint8Array }
  | { readonly kind: 'error'; readonly error: string };

interface InFlight {
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

  exchange(sealed: Uint8Array): Promise<Uint8Array> {
    const run = (): Promise<Uint8Array> => this.send(sealed);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Delivers a RemoteCommandResponse; false when no command was waiting for one. */
  deliver(outcome: RemoteReplyOutcome): boolean {
    const waiting = this.inFlight;
    if (!waiting) return false;
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

  private send(sealed: Uint8Array): Promise<Uint8Array> {
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
      this.inFlight = { resolve, reject, timer };
      const request: EncryptedRequest = {
        buffer: { data: Buffer.from(sealed).toString('base64'), channelNo: HES_REMOTE_CHANNEL },
        contextGuid: randomUUID(),
        channelNo: HES_REMOTE_CHANNEL,
      };
      this.peer.send('SendRemoteCommand', request);
    });
  }
}

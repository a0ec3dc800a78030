// One client connection over its transport, from handshake to close: the records
// in, the invocations dispatched one at a time (ASP.NET Core's default of one
// parallel invocation per client), completions and pings out, and the timers.
// Any protocol error closes the connection with ASP.NET's generic close error.

import type { HubCaller, HubDefinition } from './hub-definition';
import {
  HubMessageType,
  closeRecord,
  completionErrorRecord,
  completionResultRecord,
  handshakeResponseRecord,
  invocationRecord,
  parseHandshakeRequest,
  parseHubMessage,
  pingRecord,
  type HubMessage,
} from './hub-messages';
import {
  invokeMethod,
  refuseStreamInvocation,
  unexpectedError,
  type MethodTable,
} from './hub-methods';
import { decodeFrame, RECORD_SEPARATOR, splitRecords } from './records';
import { SignalRError, SignalRErrorCode } from './signalr-error';
import type { HubTransport } from './transport';

/** What ASP.NET Core sends on a protocol error when detailed errors are off. */
export const CONNECTION_ERROR = 'Connection closed with an error.';
export const HANDSHAKE_CANCELED = 'Handshake was canceled.';
export const HANDSHAKE_FAILED =
  'An unexpected error occurred during connection handshake. InvalidDataException';

export interface HubConnectionTimings {
  readonly keepAliveMs: number;
  readonly clientTimeoutMs: number;
  readonly handshakeTimeoutMs: number;
  readonly maxMessageBytes: number;
}

export interface HubConnectionOptions {
  readonly transport: HubTransport;
  readonly connectionId: string;
  readonly hub: string;
  readonly definition: HubDefinition;
  readonly methods: MethodTable;
  readonly headers: Readonly<Record<string, string>>;
  readonly timings: HubConnectionTimings;
  /** ASP.NET's EnableDetailedErrors (binding failures say why). */
  readonly detailedErrors: boolean;
  /** After a successful handshake, before the hub's onConnected. */
  readonly opened: (connection: HubConnection) => void;
  /** After the transport closed, if the handshake had succeeded, before the hub's onDisconnected. */
  readonly closed: (connection: HubConnection) => void;
}

type State = 'handshake' | 'open' | 'closed';

export class HubConnection implements HubCaller {
  readonly connectionId: string;
  readonly hub: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Resolves when the transport has closed and onDisconnected has run. */
  readonly done: Promise<void>;

  private state: State = 'handshake';
  private readonly transport: HubTransport;
  private readonly options: HubConnectionOptions;
  private queue: Promise<void> = Promise.resolve();
  private handshakeTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private clientTimer: NodeJS.Timeout | undefined;

  constructor(options: HubConnectionOptions) {
    this.options = options;
    this.transport = options.transport;
    this.connectionId = options.connectionId;
    this.hub = options.hub;
    this.headers = options.headers;
    this.done = new Promise((resolve) => {
      this.transport.start(
        (bytes) => this.onFrame(bytes),
        () => {
          this.onTransportClosed();
          resolve();
        },
      );
    });
    this.handshakeTimer = setTimeout(() => {
      this.finishHandshake(HANDSHAKE_CANCELED);
    }, options.timings.handshakeTimeoutMs);
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  send(target: string, ...args: unknown[]): void {
    let record: string;
    try {
      record = invocationRecord(target, args);
    } catch {
      throw new SignalRError(
        SignalRErrorCode.Unserializable,
        `The arguments of '${target}' cannot be sent as JSON.`,
        { target },
      );
    }
    if (this.state === 'open') this.write(record);
  }

  sendRaw(text: string): void {
    this.transport.write(text);
  }

  abort(): void {
    this.transport.abort();
  }

  close(error?: string): void {
    if (this.state === 'open') this.write(closeRecord(error));
    this.transport.end();
  }

  private write(record: string): void {
    if (!this.transport.writable) return;
    this.transport.write(record);
    this.scheduleKeepAlive();
  }

  private scheduleKeepAlive(): void {
    clearTimeout(this.keepAliveTimer);
    if (this.state !== 'open') return;
    this.keepAliveTimer = setTimeout(
      () => this.write(pingRecord()),
      this.options.timings.keepAliveMs,
    );
  }

  private resetClientTimeout(): void {
    clearTimeout(this.clientTimer);
    if (this.state !== 'open') return;
    // ASP.NET aborts the transport: the client sees a dropped connection and may reconnect.
    this.clientTimer = setTimeout(() => this.abort(), this.options.timings.clientTimeoutMs);
  }

  private onFrame(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    this.resetClientTimeout();
    const max = this.options.timings.maxMessageBytes;
    let records: string[];
    try {
      let text = decodeFrame(bytes);
      if (this.state === 'handshake') {
        // The handshake is read first, on its own, as ASP.NET does; what follows it in the
        // same frame is hub messages.
        const end = text.indexOf(RECORD_SEPARATOR) + 1;
        const [handshake = ''] = splitRecords(text.slice(0, end || text.length), max);
        if (end === 0 || !this.handshake(handshake)) return;
        text = text.slice(end);
      }
      records = splitRecords(text, max);
    } catch (e) {
      this.protocolError(e);
      return;
    }
    let messages: HubMessage[];
    try {
      messages = records.map(parseHubMessage);
    } catch (e) {
      this.protocolError(e);
      return;
    }
    for (const message of messages) this.enqueue(message);
  }

  /** Answers the handshake; true if the connection is now open. */
  private handshake(record: string): boolean {
    let error: string | undefined;
    try {
      const request = parseHandshakeRequest(record);
      if (request.protocol !== 'json') {
        error = `The protocol '${request.protocol}' is not supported.`;
      } else if (request.version !== 1) {
        error = `The server does not support version ${request.version} of the 'json' protocol.`;
      }
    } catch {
      error = HANDSHAKE_FAILED;
    }
    this.finishHandshake(error);
    return this.state === 'open';
  }

  private finishHandshake(error: string | undefined): void {
    clearTimeout(this.handshakeTimer);
    if (this.state !== 'handshake') return;
    if (!this.transport.writable) return;
    this.transport.write(handshakeResponseRecord(error));
    if (error !== undefined) {
      this.state = 'closed';
      this.transport.end();
      return;
    }
    this.state = 'open';
    this.scheduleKeepAlive();
    this.resetClientTimeout();
    this.options.opened(this);
    try {
      this.options.definition.onConnected?.(this);
    } catch {
      this.close(CONNECTION_ERROR);
    }
  }

  /** The codecs throw only SignalRError; anything else is treated the same way. */
  private protocolError(_error: unknown): void {
    if (this.state === 'handshake') {
      this.finishHandshake(HANDSHAKE_FAILED);
      return;
    }
    this.close(CONNECTION_ERROR);
  }

  private enqueue(message: HubMessage): void {
    this.queue = this.queue.then(() => this.dispatch(message));
  }

  private async dispatch(message: HubMessage): Promise<void> {
    if (this.state !== 'open') return;
    switch (message.type) {
      case HubMessageType.Invocation: {
        const { invocationId, target } = message;
        const outcome = await invokeMethod(
          this.options.methods,
          this,
          message,
          this.options.detailedErrors,
        );
        if (invocationId === undefined) return;
        if (!outcome.ok) {
          this.write(completionErrorRecord(invocationId, outcome.error));
          return;
        }
        let record: string;
        try {
          record = completionResultRecord(invocationId, outcome.result);
        } catch {
          // A result JSON cannot carry (BigInt, cycles) fails like a thrown error.
          record = completionErrorRecord(invocationId, unexpectedError(target));
        }
        this.write(record);
        return;
      }
      case HubMessageType.StreamInvocation: {
        const error = refuseStreamInvocation(
          this.options.methods,
          message,
          this.options.detailedErrors,
        );
        this.write(completionErrorRecord(message.invocationId, error));
        return;
      }
      case HubMessageType.Close:
        this.transport.end();
        return;
      // Ping: the timeout was reset on receipt. Completion / StreamItem: .NET 5 has
      // no client results and no client streams here. CancelInvocation: no stream
      // runs, so there is nothing to cancel (ASP.NET ignores it too).
      default:
        return;
    }
  }

  private onTransportClosed(): void {
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.keepAliveTimer);
    clearTimeout(this.clientTimer);
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (!wasOpen) return;
    this.options.closed(this);
    try {
      this.options.definition.onDisconnected?.(this);
    } catch {
      // The connection is gone; a failing hook has no one to tell.
    }
  }
}

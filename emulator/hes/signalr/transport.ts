// What a hub connection needs of its transport (WebSockets, Server-Sent Events or long
// polling, the three ASP.NET Core offers): text out, frames in, an orderly end or an abrupt
// drop, and one notice when it is over. A transport never reads the records it carries.
import type { RawData, WebSocket } from 'ws';

export type TransportKind = 'WebSockets' | 'ServerSentEvents' | 'LongPolling';

export interface HubTransport {
  readonly kind: TransportKind;
  /** Whether text written now can still reach the client. */
  readonly writable: boolean;
  /** Sends text (one or more records) to the client. */
  write(text: string): void;
  /** Ends the connection once what was written is out. */
  end(): void;
  /** Drops the connection at once (a network drop). */
  abort(): void;
  /** Wires the connection in: frames from the client, and the end (reported once). */
  start(onFrame: (bytes: Uint8Array) => void, onClosed: () => void): void;
}

const frameBytes = (data: RawData): Uint8Array =>
  Array.isArray(data)
    ? Buffer.concat(data)
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : data;

export class WebSocketTransport implements HubTransport {
  readonly kind = 'WebSockets';

  constructor(private readonly socket: WebSocket) {}

  get writable(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  write(text: string): void {
    if (this.writable) this.socket.send(text);
  }

  end(): void {
    this.socket.close(1000);
  }

  abort(): void {
    this.socket.terminate();
  }

  start(onFrame: (bytes: Uint8Array) => void, onClosed: () => void): void {
    this.socket.once('close', onClosed);
    // Errors (bad frames, oversize payloads) are followed by 'close'; nothing to add.
    this.socket.on('error', () => undefined);
    this.socket.on('message', (data) => onFrame(frameBytes(data)));
  }
}

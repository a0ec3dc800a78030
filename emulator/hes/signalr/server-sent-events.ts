// The Server-Sent Events transport as ASP.NET Core 5 serves it (ServerSentEventsServerTransport):
// one long GET answered as text/event-stream, each write one event whose lines start "data: "
// (CRLF line ends, a blank line after), the client's frames arriving as POST bodies. The
// connection ends when the response ends, either way.
import type { ServerResponse } from 'node:http';
import type { HubTransport } from './transport';

/** One event: every line of the payload as a data line, then the blank line. */
const event = (text: string): string =>
  `${text
    .split('\n')
    .map((line) => `data: ${line}\r\n`)
    .join('')}\r\n`;

export class ServerSentEventsTransport implements HubTransport {
  readonly kind = 'ServerSentEvents';
  private closed = false;
  private onFrame: (bytes: Uint8Array) => void = () => undefined;

  constructor(private readonly res: ServerResponse) {}

  get writable(): boolean {
    return !this.closed && !this.res.writableEnded;
  }

  /** Whether the connection is over: a request for it is then answered 404. */
  get isClosed(): boolean {
    return this.closed;
  }

  start(onFrame: (bytes: Uint8Array) => void, onClosed: () => void): void {
    this.onFrame = onFrame;
    this.res.once('close', () => {
      this.closed = true;
      onClosed();
    });
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      'Content-Encoding': 'identity',
    });
    // ASP.NET opens the stream with an empty comment (some clients fire "open" only on data).
    this.res.write(':\r\n');
  }

  /** A POST body: the client's frame. */
  receive(bytes: Uint8Array): void {
    if (!this.closed) this.onFrame(bytes);
  }

  write(text: string): void {
    if (this.writable) this.res.write(event(text));
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }

  abort(): void {
    this.res.destroy();
  }
}

// Follows one direction of an HTTP/1.1 connection just far enough to find message
// boundaries: request or response heads, bodies by Content-Length or chunked coding,
// and the switch to WebSocket frames after an upgrade. Bodies are skipped, not kept.

export type HttpHead =
  | {
      readonly kind: 'request';
      readonly method: string;
      readonly path: string;
      readonly upgrade: boolean;
    }
  | { readonly kind: 'response'; readonly status: number };

export interface HttpPush {
  readonly heads: HttpHead[];
  /** Bytes after the head that switched protocols: the first WebSocket bytes. */
  readonly upgraded?: Buffer;
}

type State =
  | { readonly at: 'head' }
  | { readonly at: 'body'; left: number }
  | { readonly at: 'chunkSize' }
  | { readonly at: 'chunkData'; left: number }
  | { readonly at: 'trailer' }
  | { readonly at: 'switched' };

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

export class HttpStream {
  #buffer: Buffer = Buffer.alloc(0);
  #state: State = { at: 'head' };

  constructor(private readonly side: 'request' | 'response') {}

  get switched(): boolean {
    return this.#state.at === 'switched';
  }

  push(chunk: Buffer): HttpPush {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const heads: HttpHead[] = [];
    for (;;) {
      const state = this.#state;
      if (state.at === 'switched') {
        const upgraded = this.#buffer;
        this.#buffer = Buffer.alloc(0);
        return { heads, upgraded };
      }
      if (state.at === 'head') {
        const end = this.#buffer.indexOf(HEAD_END);
        if (end < 0) return { heads };
        const text = this.#buffer.subarray(0, end).toString('latin1');
        this.#buffer = this.#buffer.subarray(end + HEAD_END.length);
        const head = this.#head(text);
        heads.push(head);
        this.#state = this.#next(head, text);
        continue;
      }
      if (state.at === 'body' || state.at === 'chunkData') {
        const take = Math.min(state.left, this.#buffer.length);
        this.#buffer = this.#buffer.subarray(take);
        state.left -= take;
        if (state.left > 0) return { heads };
        this.#state = state.at === 'body' ? { at: 'head' } : { at: 'chunkSize' };
        continue;
      }
      const end = this.#buffer.indexOf(CRLF);
      if (end < 0) return { heads };
      const line = this.#buffer.subarray(0, end).toString('latin1');
      this.#buffer = this.#buffer.subarray(end + CRLF.length);
      if (state.at === 'trailer') {
        if (line === '') this.#state = { at: 'head' };
        continue;
      }
      const size = Number.parseInt(line.split(';')[0] ?? '', 16);
      this.#state = size > 0 ? { at: 'chunkData', left: size + CRLF.length } : { at: 'trailer' };
    }
  }

  #head(text: string): HttpHead {
    const [first = ''] = text.split('\r\n', 1);
    const parts = first.split(' ');
    if (this.side === 'response') return { kind: 'response', status: Number(parts[1]) };
    return {
      kind: 'request',
      method: parts[0] ?? '',
      path: parts[1] ?? '',
      upgrade: /^upgrade:\s*websocket\s*$/im.test(text),
    };
  }

  #next(head: HttpHead, text: string): State {
    if (head.kind === 'request' && head.upgrade) return { at: 'switched' };
    if (head.kind === 'response' && head.status === 101) return { at: 'switched' };
    if (/^transfer-encoding:.*chunked/im.test(text)) return { at: 'chunkSize' };
    const length = /^content-length:\s*(\d+)\s*$/im.exec(text)?.[1];
    const left = length === undefined ? 0 : Number(length);
    return left > 0 ? { at: 'body', left } : { at: 'head' };
  }
}

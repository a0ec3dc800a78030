// Reassembles WebSocket frames (RFC 6455 §5) of one direction into whole text
// messages: unmasks client frames, joins fragments, skips control frames. The
// stand-in refuses permessage-deflate, so payloads are never compressed.

const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;

export interface WsMessage {
  readonly text: string;
  /** Payload bytes of the whole message. */
  readonly bytes: number;
}

export class WsStream {
  #buffer: Buffer = Buffer.alloc(0);
  #fragments: Buffer[] = [];
  #fragmentedOpcode = 0;

  push(chunk: Buffer): WsMessage[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const messages: WsMessage[] = [];
    for (;;) {
      const frame = this.#frame();
      if (frame === undefined) return messages;
      const { fin, opcode, payload } = frame;
      if (opcode >= 0x8) continue; // close, ping, pong
      if (opcode !== OPCODE_CONTINUATION) this.#fragmentedOpcode = opcode;
      this.#fragments.push(payload);
      if (!fin) continue;
      const whole = Buffer.concat(this.#fragments);
      this.#fragments = [];
      if (this.#fragmentedOpcode === OPCODE_TEXT || this.#fragmentedOpcode === OPCODE_BINARY) {
        messages.push({ text: whole.toString('utf8'), bytes: whole.length });
      }
    }
  }

  #frame(): { fin: boolean; opcode: number; payload: Buffer } | undefined {
    const b = this.#buffer;
    if (b.length < 2) return undefined;
    const first = b[0] ?? 0;
    const second = b[1] ?? 0;
    let offset = 2;
    let length = second & 0x7f;
    if (length === 126) {
      if (b.length < 4) return undefined;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return undefined;
      length = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    const masked = (second & 0x80) !== 0;
    const mask = masked ? b.subarray(offset, offset + 4) : undefined;
    if (masked) offset += 4;
    if (b.length < offset + length) return undefined;
    const payload = Buffer.from(b.subarray(offset, offset + length));
    if (mask)
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    this.#buffer = b.subarray(offset + length);
    return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload };
  }
}

// The shape every message-layer form shares (docs/protocol.md §4.1): one lead byte
// (command, status or event) then an optional CBOR map, 7609 bytes at most.
import { encodeCborMap } from './cbor-map';
import { MAX_MESSAGE_SIZE } from './ctaphid';
import { ProtocolErrorCode, protocolError } from './protocol-error';

/** Encodes a lead byte and its fields (undefined ones left out; no fields, no map). */
export const withMap = (
  lead: number,
  fields: ReadonlyArray<readonly [number, unknown]>,
): Uint8Array => {
  const present = fields.filter(([, value]) => value !== undefined);
  const body = present.length === 0 ? new Uint8Array(0) : encodeCborMap(present);
  const out = new Uint8Array(1 + body.length);
  out[0] = lead;
  out.set(body, 1);
  if (out.length > MAX_MESSAGE_SIZE) {
    throw protocolError(ProtocolErrorCode.Overlong, 'message is longer than 7609 bytes', {
      length: out.length,
      max: MAX_MESSAGE_SIZE,
    });
  }
  return out;
};

/** The lead byte and the map bytes after it; refuses an empty or overlong message. */
export function split(bytes: Uint8Array, what: string): { lead: number; body: Uint8Array } {
  if (bytes.length === 0) {
    throw protocolError(ProtocolErrorCode.Truncated, `${what} is empty`, { length: 0 });
  }
  if (bytes.length > MAX_MESSAGE_SIZE) {
    throw protocolError(ProtocolErrorCode.Overlong, `${what} is longer than 7609 bytes`, {
      length: bytes.length,
      max: MAX_MESSAGE_SIZE,
    });
  }
  return { lead: bytes[0] ?? 0, body: bytes.subarray(1) };
}

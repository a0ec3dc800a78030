// The key's own GATT service (docs/protocol.md §3.1): FIDO-BLE-shaped, but under
// our vendor UUIDs so a FIDO host never mistakes the key for an authenticator.
import { ProtocolErrorCode, protocolError } from './protocol-error';

const dashed = (uuid: string): string =>
  `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20)}`;

/** Lowercase, no dashes: the form noble uses. */
export const HIDEEZ_SERVICE_UUID = '7dc7000141af499aa74ed4acd8edcafe';
/** Write (with response): host -> key fragments. */
export const CONTROL_POINT_UUID = '7dc7000241af499aa74ed4acd8edcafe';
/** Notify: key -> host fragments. */
export const STATUS_UUID = '7dc7000341af499aa74ed4acd8edcafe';
/** Read: 2 bytes big-endian, the largest fragment the key accepts and sends. */
export const CONTROL_POINT_LENGTH_UUID = '7dc7000441af499aa74ed4acd8edcafe';

export const HIDEEZ_SERVICE_UUID_DASHED = dashed(HIDEEZ_SERVICE_UUID);
export const CONTROL_POINT_UUID_DASHED = dashed(CONTROL_POINT_UUID);
export const STATUS_UUID_DASHED = dashed(STATUS_UUID);
export const CONTROL_POINT_LENGTH_UUID_DASHED = dashed(CONTROL_POINT_LENGTH_UUID);

/** ATT opcode (1) + attribute handle (2) precede every write and notification. */
export const ATT_HEADER_BYTES = 3;
/** The default ATT MTU 23 minus the ATT header. */
export const MIN_FRAGMENT_SIZE = 20;
/** An attribute value is at most 512 bytes. */
export const MAX_FRAGMENT_SIZE = 512;

export const isFragmentSize = (size: number): boolean =>
  Number.isInteger(size) && size >= MIN_FRAGMENT_SIZE && size <= MAX_FRAGMENT_SIZE;

/** The fragment size for a negotiated ATT MTU: MTU - 3, kept within 20..512. */
export function fragmentSizeForMtu(mtu: number): number {
  if (!Number.isFinite(mtu)) return MIN_FRAGMENT_SIZE;
  return Math.min(
    MAX_FRAGMENT_SIZE,
    Math.max(MIN_FRAGMENT_SIZE, Math.floor(mtu) - ATT_HEADER_BYTES),
  );
}

/** 2 bytes big-endian. */
export function encodeControlPointLength(size: number): Uint8Array {
  if (!isFragmentSize(size)) {
    throw protocolError(ProtocolErrorCode.BadField, 'control point length must be 20..512', {
      field: 'controlPointLength',
    });
  }
  return Uint8Array.of(size >> 8, size & 0xff);
}

export function decodeControlPointLength(bytes: Uint8Array): number {
  if (bytes.length < 2) {
    throw protocolError(
      ProtocolErrorCode.Truncated,
      'control point length is shorter than 2 bytes',
      {
        length: bytes.length,
      },
    );
  }
  if (bytes.length > 2) {
    throw protocolError(ProtocolErrorCode.BadField, 'control point length is longer than 2 bytes', {
      field: 'controlPointLength',
      length: bytes.length,
    });
  }
  const size = ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0);
  if (!isFragmentSize(size)) {
    throw protocolError(ProtocolErrorCode.BadField, 'control point length must be 20..512', {
      field: 'controlPointLength',
      value: size,
    });
  }
  return size;
}

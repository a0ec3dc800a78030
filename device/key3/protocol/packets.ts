// Packet framing on the main characteristic (reference §2.1–2.2). Every packet is
// 20 bytes. A data packet carries 16 message bytes under a header with the channel
// (1..6), a per-session flag, the last-packet bit and an 11-bit index. A control
// packet has a code 0x10..0x1F in byte 1: since a data packet's byte 1 starts with
// its channel in bits 7..5 and channel 0 is never valid, byte 1 < 0x20 is control.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import { checkInteger } from './bytes';
import { checkChannel, isKey3Channel } from './channels';
import { PACKET_SIZE } from './gatt';
import {
  type Key3StatusFields,
  type Key3StatusPacket,
  decodeStatusPacket,
  encodeStatus,
} from './status';

export const ControlCode = {
  /** Receiver → sender: all `count` packets of a message arrived. */
  COMMIT: 0x10,
  /** Key → host: "working"; ignored by the vendor host. */
  PROGRESS: 0x11,
  /** Host → key: cancel; key → host: the user cancelled with a long press. */
  CANCEL: 0x12,
  /** Host → key: drop the sessions of the channels in the bitmask (sent before VERIFY). */
  RESET: 0x13,
  /** Key → host: ignored by the vendor host. */
  SHUTDOWN: 0x14,
  /** Layout unknown (vendor name only). */
  CONFIRM: 0x15,
  /** Key → host: battery, RSSI, attempts, button, access levels (status.ts). */
  STATUS: 0x16,
  /** Key → host: cannot take the request now; the host re-sends it with back-off. */
  BUSY: 0x17,
  /** Key → host: outcome of a wipe in byte 2 (WipeResult). */
  WIPE: 0x18,
  /** Layout unknown (vendor name only). */
  DEBUG: 0x1f,
} as const;
export type ControlCode = (typeof ControlCode)[keyof typeof ControlCode];

const CONTROL_CODES: ReadonlySet<number> = new Set(Object.values(ControlCode));
export const isControlCode = (code: number): code is ControlCode => CONTROL_CODES.has(code);

/** WIPE packet byte 2 (the vendor's FwWipeStatus). */
export const WipeResult = { Ok: 0, CancelledByButton: 1, Timeout: 2 } as const;

export const PACKET_BODY_SIZE = 16;
/** The 11-bit packet index. */
export const MAX_PACKET_INDEX = 0x7ff;
/**
 * At most 2047 packets per message, not 2048: COMMIT's count field shares byte 2
 * with a fixed 0x08 bit, so a count of 2048 (bit 11) cannot be acknowledged.
 */
export const MAX_MESSAGE_PACKETS = MAX_PACKET_INDEX;
export const MAX_MESSAGE_BYTES = MAX_MESSAGE_PACKETS * PACKET_BODY_SIZE;

const FLAG_BIT = 0x10;
const LAST_BIT = 0x08;
/** Byte 1 of a control packet is below this; of a data packet, at or above (channel ≥ 1). */
const FIRST_DATA_HEADER = 0x20;

export interface DataPacket {
  readonly channel: number;
  /** Per-session flag (bit 4); meaning unverified, 0 in every vendor vector. */
  readonly flag: boolean;
  readonly last: boolean;
  readonly index: number;
  /** The 16 message bytes. */
  readonly body: Uint8Array;
}

export function encodeDataPacket(packet: DataPacket): Uint8Array {
  checkChannel(packet.channel);
  checkInteger('index', packet.index, 0, MAX_PACKET_INDEX);
  if (packet.body.length !== PACKET_BODY_SIZE) {
    throw protocolError(ProtocolErrorCode.BadField, 'a packet body is 16 bytes', {
      field: 'body',
      length: packet.body.length,
    });
  }
  const out = new Uint8Array(PACKET_SIZE);
  out[1] =
    (packet.channel << 5) |
    (packet.flag ? FLAG_BIT : 0) |
    (packet.last ? LAST_BIT : 0) |
    (packet.index >> 8);
  out[2] = packet.index & 0xff;
  out.set(packet.body, 3);
  return out;
}

/** Byte 0 and byte 19 are not checked: the vendor host never reads them. */
export function decodeDataPacket(bytes: Uint8Array): DataPacket {
  const header = bytes[1] ?? 0;
  const channel = header >> 5;
  if (!isKey3Channel(channel)) {
    throw protocolError(ProtocolErrorCode.BadChannel, 'a data packet on channel 0 or 7', {
      channel,
    });
  }
  if (bytes.length !== PACKET_SIZE) {
    throw protocolError(
      bytes.length < PACKET_SIZE ? ProtocolErrorCode.Truncated : ProtocolErrorCode.Overlong,
      'a data packet is 20 bytes',
      { length: bytes.length },
    );
  }
  return {
    channel,
    flag: (header & FLAG_BIT) !== 0,
    last: (header & LAST_BIT) !== 0,
    index: ((header & 0x07) << 8) | (bytes[2] ?? 0),
    body: bytes.slice(3, 3 + PACKET_BODY_SIZE),
  };
}

/** Whether a message length is whole 16-byte blocks, at least one, within the packet limit. */
export function checkMessageLength(message: Uint8Array): void {
  if (message.length === 0 || message.length % PACKET_BODY_SIZE !== 0) {
    throw protocolError(
      ProtocolErrorCode.BadField,
      'a message is a non-empty multiple of 16 bytes',
      {
        field: 'message',
        length: message.length,
      },
    );
  }
  if (message.length > MAX_MESSAGE_BYTES) {
    throw protocolError(ProtocolErrorCode.Overlong, 'a message is at most 2047 packets', {
      length: message.length,
    });
  }
}

/** A whole message (a multiple of 16 bytes) as consecutive data packets, the last one marked. */
export function encodeMessagePackets(
  channel: number,
  message: Uint8Array,
  flag = false,
): Uint8Array[] {
  checkChannel(channel);
  checkMessageLength(message);
  const count = message.length / PACKET_BODY_SIZE;
  return Array.from({ length: count }, (_, index) =>
    encodeDataPacket({
      channel,
      flag,
      last: index === count - 1,
      index,
      body: message.subarray(index * PACKET_BODY_SIZE, (index + 1) * PACKET_BODY_SIZE),
    }),
  );
}

/** A 20-byte control packet: `00 code` and the given bytes, zeros after. */
function controlPacket(code: ControlCode, ...bytes: number[]): Uint8Array {
  const out = new Uint8Array(PACKET_SIZE);
  out[1] = code;
  out.set(bytes, 2);
  return out;
}

/** `00 10 [ch<<5 | 0x18 | cnt>>8] [cnt & ff]`: the receiver acknowledges `count` packets. */
export function commitPacket(channel: number, count: number): Uint8Array {
  checkChannel(channel);
  checkInteger('count', count, 1, MAX_MESSAGE_PACKETS);
  return controlPacket(
    ControlCode.COMMIT,
    (channel << 5) | FLAG_BIT | LAST_BIT | (count >> 8),
    count & 0xff,
  );
}

/** `00 13 [1 << (ch-1)]`: drop the channel's session. */
export function resetPacket(channel: number): Uint8Array {
  checkChannel(channel);
  return controlPacket(ControlCode.RESET, 1 << (channel - 1));
}

export const cancelPacket = (): Uint8Array => controlPacket(ControlCode.CANCEL);
export const busyPacket = (): Uint8Array => controlPacket(ControlCode.BUSY);
export const progressPacket = (): Uint8Array => controlPacket(ControlCode.PROGRESS);
export const shutdownPacket = (): Uint8Array => controlPacket(ControlCode.SHUTDOWN);

export function wipePacket(result: number): Uint8Array {
  checkInteger('result', result, 0, 0xff);
  return controlPacket(ControlCode.WIPE, result);
}

export const statusPacket = (fields: Key3StatusFields): Uint8Array => encodeStatus(fields);

type Control<C extends ControlCode, T = unknown> = {
  readonly kind: 'control';
  readonly code: C;
} & T;

/** What a notification on the main characteristic is. */
export type Key3Notification =
  /** 0 or 1 byte: dropped, as the vendor host does. */
  | { readonly kind: 'ignored' }
  | ({ readonly kind: 'data' } & DataPacket)
  | Control<typeof ControlCode.COMMIT, { readonly channel: number; readonly count: number }>
  | Control<typeof ControlCode.PROGRESS, { readonly packet: Uint8Array }>
  | Control<typeof ControlCode.CANCEL>
  /** Bit c-1 set: channel c. */
  | Control<typeof ControlCode.RESET, { readonly channels: number }>
  | Control<typeof ControlCode.SHUTDOWN>
  | Control<typeof ControlCode.CONFIRM, { readonly packet: Uint8Array }>
  | Control<typeof ControlCode.STATUS, { readonly status: Key3StatusPacket }>
  | Control<typeof ControlCode.BUSY>
  | Control<typeof ControlCode.WIPE, { readonly result: number }>
  | Control<typeof ControlCode.DEBUG, { readonly packet: Uint8Array }>;

function need(bytes: Uint8Array, length: number, code: number): void {
  if (bytes.length < length) {
    throw protocolError(ProtocolErrorCode.Truncated, 'a control packet is too short', {
      code,
      length: bytes.length,
    });
  }
}

function classifyControl(bytes: Uint8Array, code: number): Key3Notification {
  switch (code) {
    case ControlCode.COMMIT: {
      need(bytes, 4, code);
      const header = bytes[2] ?? 0;
      const channel = header >> 5;
      if (!isKey3Channel(channel)) {
        throw protocolError(ProtocolErrorCode.BadChannel, 'a COMMIT on channel 0 or 7', {
          channel,
        });
      }
      return { kind: 'control', code, channel, count: ((header & 0x07) << 8) | (bytes[3] ?? 0) };
    }
    case ControlCode.RESET: {
      need(bytes, 3, code);
      const channels = bytes[2] ?? 0;
      if (channels === 0 || channels > 0x3f) {
        throw protocolError(
          ProtocolErrorCode.BadChannel,
          'a RESET names no channel or one past 6',
          {
            channels,
          },
        );
      }
      return { kind: 'control', code, channels };
    }
    case ControlCode.WIPE:
      need(bytes, 3, code);
      return { kind: 'control', code, result: bytes[2] ?? 0 };
    case ControlCode.STATUS:
      return { kind: 'control', code, status: decodeStatusPacket(bytes) };
    case ControlCode.PROGRESS:
    case ControlCode.CONFIRM:
    case ControlCode.DEBUG:
      return { kind: 'control', code, packet: bytes.slice() };
    case ControlCode.CANCEL:
    case ControlCode.SHUTDOWN:
    case ControlCode.BUSY:
      return { kind: 'control', code };
    default:
      throw protocolError(ProtocolErrorCode.UnknownCommand, 'an unknown control packet', { code });
  }
}

/**
 * Classifies one notification (or, on the key side, one written packet): ignored,
 * a data packet, or a decoded control packet. Anything malformed or unknown throws
 * a ProtocolError; the caller decides whether to drop it or to abort.
 */
export function classifyNotification(bytes: Uint8Array): Key3Notification {
  if (bytes.length <= 1) return { kind: 'ignored' };
  if (bytes.length > PACKET_SIZE) {
    throw protocolError(ProtocolErrorCode.Overlong, 'a packet is at most 20 bytes', {
      length: bytes.length,
    });
  }
  const header = bytes[1] ?? 0;
  if (header < FIRST_DATA_HEADER) return classifyControl(bytes, header);
  return { kind: 'data', ...decodeDataPacket(bytes) };
}

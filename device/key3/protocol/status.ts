// The STATUS control packet (reference §2.3), sent by the key on its own: battery,
// the key's RSSI of the link, PIN attempts, the storage-update counter, how many
// other hosts are connected, the last button press, and one access-level byte per
// channel. Decoded for the host; encoded for the virtual key.
import { AccessFlagBit, type AccessFlags, accessFlagsFromBits } from '../../../shared/key/key-info';
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import { checkInteger, readI8 } from './bytes';
import { MAX_CHANNEL, checkChannel } from './channels';
import { PACKET_SIZE } from './gatt';

/** Control code 0x16 (kept here too so this module does not depend on packets.ts). */
export const STATUS_CODE = 0x16;
/** The vendor host discards a STATUS shorter than this (it ends with channel 6's access byte). */
export const STATUS_MIN_LENGTH = 14;

const ACCESS_LEVEL_OFFSET = 8;
const BUTTON_MASK = 0x7f;

/** Access-level bits of one channel, named as in shared/key (same bit values), plus the raw byte. */
export type Key3AccessLevel = AccessFlags & { readonly raw: number };

/** Everything a STATUS packet carries, for every channel. */
export interface Key3StatusPacket {
  /** Percent, signed. */
  readonly battery: number;
  /** dBm, signed: the key's measurement of the link. */
  readonly rssi: number;
  /** Byte 4: not read by the vendor host; kept so the packet round-trips. */
  readonly byte4: number;
  readonly pinAttemptsRemain: number;
  /** Bits 5..0 of byte 6. */
  readonly storageUpdateCounter: number;
  /** Bits 7..6 of byte 6: host connections other than this one. */
  readonly otherConnections: number;
  /** ButtonPressCode: 0 none, 1 single, 2 double, … 0x10 long, 0x11 super-long. */
  readonly button: number;
  /** The whole byte 7: the vendor host treats any change of it as a new press. */
  readonly buttonByte: number;
  /** Access-level bytes of channels 1..6 (index 0 = channel 1). */
  readonly accessLevels: readonly number[];
}

/** STATUS as seen by one channel: the shape of the reference vectors. */
export interface Key3Status {
  readonly battery: number;
  readonly rssi: number;
  readonly pinAttemptsRemain: number;
  readonly storageUpdateCounter: number;
  readonly otherConnections: number;
  readonly button: number;
  readonly channel: number;
  readonly accessLevel: Key3AccessLevel;
}

export const accessLevelFromBits = (raw: number): Key3AccessLevel => ({
  ...accessFlagsFromBits(raw),
  raw,
});

export { AccessFlagBit };

export function decodeStatusPacket(packet: Uint8Array): Key3StatusPacket {
  if (packet.length > PACKET_SIZE) {
    throw protocolError(ProtocolErrorCode.Overlong, 'a STATUS packet is longer than 20 bytes', {
      length: packet.length,
    });
  }
  if (packet.length < STATUS_MIN_LENGTH) {
    throw protocolError(ProtocolErrorCode.Truncated, 'a STATUS packet is shorter than 14 bytes', {
      length: packet.length,
    });
  }
  if (packet[1] !== STATUS_CODE) {
    throw protocolError(ProtocolErrorCode.BadField, 'not a STATUS packet', {
      field: 'code',
      code: packet[1] ?? -1,
    });
  }
  const storage = packet[6] ?? 0;
  const buttonByte = packet[7] ?? 0;
  return {
    battery: readI8(packet, 2),
    rssi: readI8(packet, 3),
    byte4: packet[4] ?? 0,
    pinAttemptsRemain: packet[5] ?? 0,
    storageUpdateCounter: storage & 0x3f,
    otherConnections: storage >> 6,
    button: buttonByte & BUTTON_MASK,
    buttonByte,
    accessLevels: Array.from(
      packet.subarray(ACCESS_LEVEL_OFFSET, ACCESS_LEVEL_OFFSET + MAX_CHANNEL),
    ),
  };
}

/** The packet as one channel sees it (its own access-level byte). */
export function statusForChannel(status: Key3StatusPacket, channel: number): Key3Status {
  checkChannel(channel);
  return {
    battery: status.battery,
    rssi: status.rssi,
    pinAttemptsRemain: status.pinAttemptsRemain,
    storageUpdateCounter: status.storageUpdateCounter,
    otherConnections: status.otherConnections,
    button: status.button,
    channel,
    accessLevel: accessLevelFromBits(status.accessLevels[channel - 1] ?? 0),
  };
}

export const decodeStatus = (packet: Uint8Array, channel: number): Key3Status => {
  checkChannel(channel);
  return statusForChannel(decodeStatusPacket(packet), channel);
};

/** What the virtual key puts in a STATUS packet. Missing access levels are 0. */
export interface Key3StatusFields {
  readonly battery: number;
  readonly rssi: number;
  readonly byte4?: number;
  readonly pinAttemptsRemain: number;
  readonly storageUpdateCounter: number;
  readonly otherConnections: number;
  /** The whole button byte (ButtonPressCode in bits 6..0). */
  readonly buttonByte: number;
  readonly accessLevels: readonly number[];
}

/** A 20-byte STATUS packet (`00 16 …`, zeros after channel 6's access byte). */
export function encodeStatus(fields: Key3StatusFields): Uint8Array {
  checkInteger('battery', fields.battery, -128, 127);
  checkInteger('rssi', fields.rssi, -128, 127);
  checkInteger('byte4', fields.byte4 ?? 0, 0, 0xff);
  checkInteger('pinAttemptsRemain', fields.pinAttemptsRemain, 0, 0xff);
  checkInteger('storageUpdateCounter', fields.storageUpdateCounter, 0, 0x3f);
  checkInteger('otherConnections', fields.otherConnections, 0, 3);
  checkInteger('buttonByte', fields.buttonByte, 0, 0xff);
  if (fields.accessLevels.length > MAX_CHANNEL) {
    throw protocolError(ProtocolErrorCode.BadField, 'at most 6 access levels', {
      field: 'accessLevels',
      length: fields.accessLevels.length,
    });
  }
  const out = new Uint8Array(PACKET_SIZE);
  out[1] = STATUS_CODE;
  out[2] = fields.battery & 0xff;
  out[3] = fields.rssi & 0xff;
  out[4] = fields.byte4 ?? 0;
  out[5] = fields.pinAttemptsRemain;
  out[6] = (fields.otherConnections << 6) | fields.storageUpdateCounter;
  out[7] = fields.buttonByte;
  fields.accessLevels.forEach((level, i) => {
    checkInteger('accessLevel', level, 0, 0xff);
    out[ACCESS_LEVEL_OFFSET + i] = level;
  });
  return out;
}

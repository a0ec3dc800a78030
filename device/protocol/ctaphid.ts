// USB HID framing: CTAPHID exactly as FIDO defines it (docs/protocol.md §2), with our
// message layer carried by two vendor commands. Reports are 64 bytes without the
// report-ID byte; the transport adds or strips that.
import { type ProtocolError, ProtocolErrorCode, protocolError } from './protocol-error';

export const HID_REPORT_SIZE = 64;
export const CTAPHID_BROADCAST_CID = 0xffffffff;
/** CID 0 is reserved and never valid. */
export const CTAPHID_RESERVED_CID = 0;
export const INIT_HEADER_BYTES = 7;
export const CONT_HEADER_BYTES = 5;
export const INIT_DATA_BYTES = HID_REPORT_SIZE - INIT_HEADER_BYTES; // 57
export const CONT_DATA_BYTES = HID_REPORT_SIZE - CONT_HEADER_BYTES; // 59
export const MAX_SEQUENCE = 0x7f;
/** An init packet and 128 continuation packets: 57 + 128 * 59. */
export const MAX_MESSAGE_SIZE = INIT_DATA_BYTES + (MAX_SEQUENCE + 1) * CONT_DATA_BYTES; // 7609

/** Bit 7 of byte 4: set on an init packet (it then holds CMD), clear on a continuation (SEQ). */
export const TYPE_INIT = 0x80;

export const CtapHidCommand = {
  Ping: 0x01,
  Msg: 0x03,
  Lock: 0x04,
  Init: 0x06,
  Wink: 0x08,
  Cbor: 0x10,
  Cancel: 0x11,
  Keepalive: 0x3b,
  Error: 0x3f,
  /** Vendor: a request (host->key) or its response (key->host), docs/protocol.md §4. */
  HideezMessage: 0x40,
  /** Vendor: an unsolicited event, key->host, on every allocated channel. */
  HideezEvent: 0x41,
} as const; // values WITHOUT the 0x80 init bit; the codec sets/clears bit 7
export type CtapHidCommand = (typeof CtapHidCommand)[keyof typeof CtapHidCommand];

export const CtapHidError = {
  InvalidCmd: 0x01,
  InvalidPar: 0x02,
  InvalidLen: 0x03,
  InvalidSeq: 0x04,
  MsgTimeout: 0x05,
  ChannelBusy: 0x06,
  LockRequired: 0x0a,
  InvalidChannel: 0x0b,
  Other: 0x7f,
} as const;
export type CtapHidError = (typeof CtapHidError)[keyof typeof CtapHidError];

export const KeepaliveStatus = { Processing: 0x01, UpNeeded: 0x02 } as const;
export type KeepaliveStatus = (typeof KeepaliveStatus)[keyof typeof KeepaliveStatus];

/** INIT response capability flags. Our key sets Wink and Nmsg: it speaks neither CTAP1 (MSG) nor CTAP2 (CBOR). */
export const CtapHidCapability = { Wink: 0x01, Lock: 0x02, Cbor: 0x04, Nmsg: 0x08 } as const;

/** CTAPHID protocol version the INIT response reports. */
export const CTAPHID_PROTOCOL_VERSION = 2;
export const INIT_NONCE_BYTES = 8;
export const INIT_RESPONSE_BYTES = 17;

export interface CtapHidFrame {
  readonly cid: number;
  /** The command without the init bit (0x00..0x7f). */
  readonly cmd: number;
  readonly payload: Uint8Array;
}

const KNOWN_COMMANDS: ReadonlySet<number> = new Set(Object.values(CtapHidCommand));
export const isCtapHidCommand = (cmd: number): cmd is CtapHidCommand => KNOWN_COMMANDS.has(cmd);

const isUint32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

const hex32 = (n: number): string => n.toString(16).padStart(8, '0');

/** Splits a frame into 64-byte reports (no report-ID byte), zero-padded. */
export function encodeReports(frame: CtapHidFrame): Uint8Array[] {
  const { cid, cmd, payload } = frame;
  if (!isUint32(cid) || cid === CTAPHID_RESERVED_CID) {
    throw protocolError(ProtocolErrorCode.BadChannel, 'CTAPHID channel must be a non-zero uint32', {
      cid: isUint32(cid) ? cid : -1,
    });
  }
  if (!Number.isInteger(cmd) || cmd < 0 || cmd > 0x7f) {
    throw protocolError(ProtocolErrorCode.BadField, 'CTAPHID command must be 0x00..0x7f', {
      field: 'cmd',
    });
  }
  if (payload.length > MAX_MESSAGE_SIZE) {
    throw protocolError(ProtocolErrorCode.Overlong, 'CTAPHID payload is longer than 7609 bytes', {
      cid,
      length: payload.length,
      max: MAX_MESSAGE_SIZE,
    });
  }
  const reports: Uint8Array[] = [];
  const first = new Uint8Array(HID_REPORT_SIZE);
  const view = new DataView(first.buffer);
  view.setUint32(0, cid);
  first[4] = cmd | TYPE_INIT;
  view.setUint16(5, payload.length);
  first.set(payload.subarray(0, INIT_DATA_BYTES), INIT_HEADER_BYTES);
  reports.push(first);
  let offset = INIT_DATA_BYTES;
  for (let seq = 0; offset < payload.length; seq++) {
    const report = new Uint8Array(HID_REPORT_SIZE);
    new DataView(report.buffer).setUint32(0, cid);
    report[4] = seq;
    report.set(payload.subarray(offset, offset + CONT_DATA_BYTES), CONT_HEADER_BYTES);
    reports.push(report);
    offset += CONT_DATA_BYTES;
  }
  return reports;
}

interface Partial {
  readonly cid: number;
  readonly cmd: number;
  readonly payload: Uint8Array;
  filled: number;
  nextSeq: number;
}

/**
 * Reassembles the reports of ONE direction into frames. push() returns a frame when
 * it is complete, else undefined; it never waits. A malformed report throws a
 * ProtocolError (details include the cid) and drops the partial message, so the
 * reassembler is ready for a new init packet. One exception: a report from another
 * channel while a message is in progress throws BadChannel {cid, busyCid} and leaves
 * that message intact, as a CTAPHID key answers CHANNEL_BUSY and carries on.
 * An unknown command is reported (UnknownCommand {cid, cmd}) once its whole message
 * has arrived, so the reports that follow stay in step.
 */
export class CtapHidReassembler {
  #partial: Partial | undefined;

  /** The channel whose message is half-received, if any. */
  get busyCid(): number | undefined {
    return this.#partial?.cid;
  }

  push(report: Uint8Array): CtapHidFrame | undefined {
    if (report.length < CONT_HEADER_BYTES) {
      throw protocolError(ProtocolErrorCode.Truncated, 'HID report is shorter than its header', {
        length: report.length,
      });
    }
    const view = new DataView(report.buffer, report.byteOffset, report.byteLength);
    const cid = view.getUint32(0);
    if (report.length > HID_REPORT_SIZE) {
      this.#dropIfOn(cid);
      throw protocolError(ProtocolErrorCode.Overlong, 'HID report is longer than 64 bytes', {
        cid,
        length: report.length,
      });
    }
    if (report.length < HID_REPORT_SIZE) {
      this.#dropIfOn(cid);
      throw protocolError(ProtocolErrorCode.Truncated, 'HID report is shorter than 64 bytes', {
        cid,
        length: report.length,
      });
    }
    if (cid === CTAPHID_RESERVED_CID) {
      throw protocolError(ProtocolErrorCode.BadChannel, 'CTAPHID channel 0 is reserved', { cid });
    }
    const partial = this.#partial;
    if (partial !== undefined && partial.cid !== cid) {
      throw protocolError(
        ProtocolErrorCode.BadChannel,
        `channel ${hex32(cid)} sent while ${hex32(partial.cid)} is mid-message`,
        { cid, busyCid: partial.cid },
      );
    }
    const typeByte = report[4] ?? 0;
    if ((typeByte & TYPE_INIT) !== 0) return this.#init(cid, typeByte & 0x7f, view, report);
    return this.#continuation(cid, typeByte, report);
  }

  reset(): void {
    this.#partial = undefined;
  }

  #dropIfOn(cid: number): void {
    if (this.#partial?.cid === cid) this.#partial = undefined;
  }

  #init(cid: number, cmd: number, view: DataView, report: Uint8Array): CtapHidFrame | undefined {
    const partial = this.#partial;
    if (partial !== undefined) {
      this.#partial = undefined;
      // INIT on the channel mid-message resynchronises it (FIDO); anything else is out of order.
      if (cmd !== CtapHidCommand.Init) {
        throw protocolError(
          ProtocolErrorCode.BadSequence,
          'an init packet arrived before the previous message was complete',
          { cid, expectedSeq: partial.nextSeq },
        );
      }
    }
    const length = view.getUint16(5);
    if (length > MAX_MESSAGE_SIZE) {
      throw protocolError(ProtocolErrorCode.Overlong, 'declared length is past 7609 bytes', {
        cid,
        length,
        max: MAX_MESSAGE_SIZE,
      });
    }
    const payload = new Uint8Array(length);
    const take = Math.min(length, INIT_DATA_BYTES);
    payload.set(report.subarray(INIT_HEADER_BYTES, INIT_HEADER_BYTES + take));
    if (take === length) return complete({ cid, cmd, payload });
    this.#partial = { cid, cmd, payload, filled: take, nextSeq: 0 };
    return undefined;
  }

  #continuation(cid: number, seq: number, report: Uint8Array): CtapHidFrame | undefined {
    const partial = this.#partial;
    if (partial === undefined) {
      throw protocolError(ProtocolErrorCode.BadSequence, 'a continuation without an init packet', {
        cid,
        seq,
      });
    }
    if (seq !== partial.nextSeq) {
      this.#partial = undefined;
      throw protocolError(ProtocolErrorCode.BadSequence, 'continuation out of order', {
        cid,
        seq,
        expectedSeq: partial.nextSeq,
      });
    }
    const take = Math.min(partial.payload.length - partial.filled, CONT_DATA_BYTES);
    partial.payload.set(
      report.subarray(CONT_HEADER_BYTES, CONT_HEADER_BYTES + take),
      partial.filled,
    );
    partial.filled += take;
    partial.nextSeq += 1;
    if (partial.filled < partial.payload.length) return undefined;
    this.#partial = undefined;
    return complete({ cid, cmd: partial.cmd, payload: partial.payload });
  }
}

function complete(frame: CtapHidFrame): CtapHidFrame {
  if (!isCtapHidCommand(frame.cmd)) {
    throw protocolError(ProtocolErrorCode.UnknownCommand, 'unknown CTAPHID command', {
      cid: frame.cid,
      cmd: frame.cmd,
    });
  }
  return frame;
}

/** INIT payloads */
export interface InitResponse {
  readonly nonce: Uint8Array;
  readonly cid: number;
  readonly protocolVersion: number;
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly versionBuild: number;
  readonly capabilities: number;
}

const isByte = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xff;

/** The 8-byte INIT request payload. */
export function encodeInitRequest(nonce: Uint8Array): Uint8Array {
  if (nonce.length !== INIT_NONCE_BYTES) {
    throw protocolError(ProtocolErrorCode.BadField, 'INIT nonce must be 8 bytes', {
      field: 'nonce',
      length: nonce.length,
    });
  }
  return Uint8Array.from(nonce);
}

/** The nonce of an INIT request payload (exactly 8 bytes; the key answers INVALID_LEN otherwise). */
export function decodeInitRequest(payload: Uint8Array): Uint8Array {
  if (payload.length < INIT_NONCE_BYTES) {
    throw protocolError(ProtocolErrorCode.Truncated, 'INIT request is shorter than 8 bytes', {
      length: payload.length,
    });
  }
  if (payload.length > INIT_NONCE_BYTES) {
    throw protocolError(ProtocolErrorCode.BadField, 'INIT request is longer than 8 bytes', {
      field: 'nonce',
      length: payload.length,
    });
  }
  return Uint8Array.from(payload);
}

/** 17 bytes: nonce(8) | cid(4 BE) | protocol version | major | minor | build | capabilities. */
export function encodeInitResponse(r: InitResponse): Uint8Array {
  if (r.nonce.length !== INIT_NONCE_BYTES) {
    throw protocolError(ProtocolErrorCode.BadField, 'INIT nonce must be 8 bytes', {
      field: 'nonce',
      length: r.nonce.length,
    });
  }
  checkAllocatedCid(r.cid);
  const bytes: [string, number][] = [
    ['protocolVersion', r.protocolVersion],
    ['versionMajor', r.versionMajor],
    ['versionMinor', r.versionMinor],
    ['versionBuild', r.versionBuild],
    ['capabilities', r.capabilities],
  ];
  for (const [field, value] of bytes) {
    if (!isByte(value)) {
      throw protocolError(ProtocolErrorCode.BadField, `INIT ${field} must be a byte`, { field });
    }
  }
  const out = new Uint8Array(INIT_RESPONSE_BYTES);
  out.set(r.nonce, 0);
  new DataView(out.buffer).setUint32(8, r.cid);
  out.set(
    bytes.map(([, value]) => value),
    12,
  );
  return out;
}

export function decodeInitResponse(payload: Uint8Array): InitResponse {
  if (payload.length < INIT_RESPONSE_BYTES) {
    throw protocolError(ProtocolErrorCode.Truncated, 'INIT response is shorter than 17 bytes', {
      length: payload.length,
    });
  }
  if (payload.length > INIT_RESPONSE_BYTES) {
    throw protocolError(ProtocolErrorCode.BadField, 'INIT response is longer than 17 bytes', {
      field: 'initResponse',
      length: payload.length,
    });
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const cid = view.getUint32(8);
  checkAllocatedCid(cid);
  return {
    nonce: payload.slice(0, INIT_NONCE_BYTES),
    cid,
    protocolVersion: payload[12] ?? 0,
    versionMajor: payload[13] ?? 0,
    versionMinor: payload[14] ?? 0,
    versionBuild: payload[15] ?? 0,
    capabilities: payload[16] ?? 0,
  };
}

/** A channel the key hands out: neither 0 nor the broadcast channel. */
function checkAllocatedCid(cid: number): void {
  if (!isUint32(cid) || cid === CTAPHID_RESERVED_CID || cid === CTAPHID_BROADCAST_CID) {
    throw protocolError(
      ProtocolErrorCode.BadChannel,
      'INIT must allocate a channel other than 0 and broadcast',
      {
        cid: isUint32(cid) ? cid : -1,
      },
    );
  }
}

/** An ERROR frame (one byte: a CtapHidError). */
export const errorFrame = (cid: number, error: CtapHidError): CtapHidFrame => ({
  cid,
  cmd: CtapHidCommand.Error,
  payload: Uint8Array.of(error),
});

/** A KEEPALIVE frame (one byte: a KeepaliveStatus). */
export const keepaliveFrame = (cid: number, status: KeepaliveStatus): CtapHidFrame => ({
  cid,
  cmd: CtapHidCommand.Keepalive,
  payload: Uint8Array.of(status),
});

/** The CtapHidError a key answers for a ProtocolError met while reassembling (docs/protocol.md §8). */
export function ctapHidErrorFor(error: ProtocolError): CtapHidError {
  switch (error.code) {
    case ProtocolErrorCode.BadChannel:
      // Another channel mid-message: that one is busy, not invalid.
      return error.details?.['busyCid'] !== undefined
        ? CtapHidError.ChannelBusy
        : CtapHidError.InvalidChannel;
    case ProtocolErrorCode.BadSequence:
      return CtapHidError.InvalidSeq;
    case ProtocolErrorCode.Overlong:
    case ProtocolErrorCode.Truncated:
      return CtapHidError.InvalidLen;
    case ProtocolErrorCode.UnknownCommand:
      return CtapHidError.InvalidCmd;
    default:
      return CtapHidError.InvalidPar;
  }
}

// BLE framing, FIDO-BLE style (docs/protocol.md §3.2): the first fragment is
// CMD | HLEN | LLEN | DATA, each continuation SEQ | DATA with SEQ 0..0x7f. A
// fragment is at most the control point length (ATT MTU - 3, 20..512 bytes).
import { MAX_MESSAGE_SIZE } from './ctaphid';
import { MAX_FRAGMENT_SIZE, isFragmentSize } from './gatt';
import { type ProtocolError, ProtocolErrorCode, protocolError } from './protocol-error';

export const BleCommand = {
  Ping: 0x81,
  Keepalive: 0x82,
  Msg: 0x83,
  /** Vendor: an unsolicited event, key->host (our message layer's event form). */
  Event: 0x84,
  Cancel: 0xbe,
  Error: 0xbf,
} as const;
export type BleCommand = (typeof BleCommand)[keyof typeof BleCommand];

export const BleError = {
  InvalidCmd: 0x01,
  InvalidPar: 0x02,
  InvalidLen: 0x03,
  InvalidSeq: 0x04,
  ReqTimeout: 0x05,
  Other: 0x7f,
} as const;
export type BleError = (typeof BleError)[keyof typeof BleError];

/** KEEPALIVE status bytes, as on USB. */
export const BleKeepaliveStatus = { Processing: 0x01, UpNeeded: 0x02 } as const;

export const BLE_INIT_HEADER_BYTES = 3;
export const BLE_CONT_HEADER_BYTES = 1;
export const BLE_MAX_SEQUENCE = 0x7f;

export interface BleFrame {
  readonly cmd: number;
  readonly payload: Uint8Array;
}

const KNOWN_COMMANDS: ReadonlySet<number> = new Set(Object.values(BleCommand));
export const isBleCommand = (cmd: number): cmd is BleCommand => KNOWN_COMMANDS.has(cmd);

/**
 * The largest message at a fragment size: one first fragment and 128 continuations,
 * capped at MAX_MESSAGE_SIZE (the key's buffer, the same as over USB).
 */
export function maxBleMessageSize(fragmentSize: number): number {
  const carried =
    fragmentSize -
    BLE_INIT_HEADER_BYTES +
    (BLE_MAX_SEQUENCE + 1) * (fragmentSize - BLE_CONT_HEADER_BYTES);
  return Math.min(MAX_MESSAGE_SIZE, carried);
}

function checkFragmentSize(fragmentSize: number): void {
  if (!isFragmentSize(fragmentSize)) {
    throw protocolError(ProtocolErrorCode.BadField, 'fragment size must be an integer 20..512', {
      field: 'fragmentSize',
    });
  }
}

/** fragmentSize = what control-point-length says (ATT MTU - 3), 20..512. */
export function encodeFragments(frame: BleFrame, fragmentSize: number): Uint8Array[] {
  checkFragmentSize(fragmentSize);
  const { cmd, payload } = frame;
  if (!Number.isInteger(cmd) || cmd < 0x80 || cmd > 0xff) {
    throw protocolError(ProtocolErrorCode.BadField, 'BLE command must be 0x80..0xff', {
      field: 'cmd',
    });
  }
  const max = maxBleMessageSize(fragmentSize);
  if (payload.length > max) {
    throw protocolError(
      ProtocolErrorCode.Overlong,
      'BLE message is too long for this fragment size',
      {
        length: payload.length,
        max,
        fragmentSize,
      },
    );
  }
  const firstData = fragmentSize - BLE_INIT_HEADER_BYTES;
  const contData = fragmentSize - BLE_CONT_HEADER_BYTES;
  const head = payload.subarray(0, firstData);
  const first = new Uint8Array(BLE_INIT_HEADER_BYTES + head.length);
  first[0] = cmd;
  first[1] = payload.length >> 8;
  first[2] = payload.length & 0xff;
  first.set(head, BLE_INIT_HEADER_BYTES);
  const fragments = [first];
  for (let offset = firstData, seq = 0; offset < payload.length; offset += contData, seq++) {
    const data = payload.subarray(offset, offset + contData);
    const fragment = new Uint8Array(BLE_CONT_HEADER_BYTES + data.length);
    fragment[0] = seq;
    fragment.set(data, BLE_CONT_HEADER_BYTES);
    fragments.push(fragment);
  }
  return fragments;
}

interface Partial {
  readonly cmd: number;
  readonly payload: Uint8Array;
  filled: number;
  nextSeq: number;
}

/**
 * Reassembles the fragments of ONE direction. push() returns a frame when complete,
 * else undefined. Any malformed fragment throws a ProtocolError and drops the partial
 * message. An unknown command is reported (UnknownCommand {cmd}) once its whole
 * message has arrived, so the fragments that follow stay in step.
 * fragmentSize: the negotiated control point length; fragments longer than it, and
 * messages longer than 128 continuations of it can carry, are Overlong.
 */
export class BleReassembler {
  readonly fragmentSize: number;
  #partial: Partial | undefined;

  constructor(fragmentSize: number = MAX_FRAGMENT_SIZE) {
    checkFragmentSize(fragmentSize);
    this.fragmentSize = fragmentSize;
  }

  push(fragment: Uint8Array): BleFrame | undefined {
    if (fragment.length === 0) {
      this.#partial = undefined;
      throw protocolError(ProtocolErrorCode.Truncated, 'empty BLE fragment', { length: 0 });
    }
    if (fragment.length > this.fragmentSize) {
      this.#partial = undefined;
      throw protocolError(
        ProtocolErrorCode.Overlong,
        'BLE fragment is longer than the fragment size',
        {
          length: fragment.length,
          fragmentSize: this.fragmentSize,
        },
      );
    }
    const head = fragment[0] ?? 0;
    return (head & 0x80) !== 0 ? this.#init(head, fragment) : this.#continuation(head, fragment);
  }

  reset(): void {
    this.#partial = undefined;
  }

  #init(cmd: number, fragment: Uint8Array): BleFrame | undefined {
    if (this.#partial !== undefined) {
      const expectedSeq = this.#partial.nextSeq;
      this.#partial = undefined;
      throw protocolError(
        ProtocolErrorCode.BadSequence,
        'a first fragment arrived before the previous message was complete',
        { cmd, expectedSeq },
      );
    }
    if (fragment.length < BLE_INIT_HEADER_BYTES) {
      throw protocolError(
        ProtocolErrorCode.Truncated,
        'BLE first fragment is shorter than its header',
        {
          length: fragment.length,
        },
      );
    }
    const length = ((fragment[1] ?? 0) << 8) | (fragment[2] ?? 0);
    const max = maxBleMessageSize(this.fragmentSize);
    if (length > max) {
      throw protocolError(ProtocolErrorCode.Overlong, 'declared BLE message length is too long', {
        cmd,
        length,
        max,
      });
    }
    const data = fragment.subarray(BLE_INIT_HEADER_BYTES);
    if (data.length > length) {
      throw protocolError(
        ProtocolErrorCode.Overlong,
        'BLE fragment carries more than the declared length',
        {
          cmd,
          length,
          received: data.length,
        },
      );
    }
    const payload = new Uint8Array(length);
    payload.set(data);
    if (data.length === length) return complete({ cmd, payload });
    this.#partial = { cmd, payload, filled: data.length, nextSeq: 0 };
    return undefined;
  }

  #continuation(seq: number, fragment: Uint8Array): BleFrame | undefined {
    const partial = this.#partial;
    if (partial === undefined) {
      throw protocolError(
        ProtocolErrorCode.BadSequence,
        'a continuation without a first fragment',
        {
          seq,
        },
      );
    }
    if (seq !== partial.nextSeq) {
      this.#partial = undefined;
      throw protocolError(ProtocolErrorCode.BadSequence, 'BLE continuation out of order', {
        seq,
        expectedSeq: partial.nextSeq,
      });
    }
    const data = fragment.subarray(BLE_CONT_HEADER_BYTES);
    const remaining = partial.payload.length - partial.filled;
    if (data.length > remaining) {
      this.#partial = undefined;
      throw protocolError(
        ProtocolErrorCode.Overlong,
        'BLE fragment carries more than the declared length',
        {
          cmd: partial.cmd,
          length: partial.payload.length,
          received: partial.filled + data.length,
        },
      );
    }
    partial.payload.set(data, partial.filled);
    partial.filled += data.length;
    partial.nextSeq += 1;
    if (partial.filled < partial.payload.length) return undefined;
    this.#partial = undefined;
    return complete({ cmd: partial.cmd, payload: partial.payload });
  }
}

function complete(frame: BleFrame): BleFrame {
  if (!isBleCommand(frame.cmd)) {
    throw protocolError(ProtocolErrorCode.UnknownCommand, 'unknown BLE command', {
      cmd: frame.cmd,
    });
  }
  return frame;
}

/** An ERROR frame (one byte: a BleError). */
export const bleErrorFrame = (error: BleError): BleFrame => ({
  cmd: BleCommand.Error,
  payload: Uint8Array.of(error),
});

/** The BleError a key answers for a ProtocolError met while reassembling (docs/protocol.md §8). */
export function bleErrorFor(error: ProtocolError): BleError {
  switch (error.code) {
    case ProtocolErrorCode.BadSequence:
      return BleError.InvalidSeq;
    case ProtocolErrorCode.Overlong:
    case ProtocolErrorCode.Truncated:
      return BleError.InvalidLen;
    case ProtocolErrorCode.UnknownCommand:
      return BleError.InvalidCmd;
    default:
      return BleError.InvalidPar;
  }
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BleCommand,
  BleError,
  type BleFrame,
  BleReassembler,
  bleErrorFor,
  encodeFragments,
  maxBleMessageSize,
} from '../../../device/protocol/ble-fragments';
import { MAX_MESSAGE_SIZE } from '../../../device/protocol/ctaphid';
import {
  CONTROL_POINT_LENGTH_UUID,
  CONTROL_POINT_UUID,
  HIDEEZ_SERVICE_UUID,
  HIDEEZ_SERVICE_UUID_DASHED,
  STATUS_UUID,
  decodeControlPointLength,
  encodeControlPointLength,
  fragmentSizeForMtu,
} from '../../../device/protocol/gatt';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { decodesOrRefuses, payload, refusal } from './arbitraries';

const fragmentSize = fc.integer({ min: 20, max: 512 });
const command = fc.constantFrom(...Object.values(BleCommand));
/** A fragment size and a payload that fits it, from empty to the largest. */
const sizedPayload = fragmentSize.chain((size) =>
  fc.tuple(
    fc.constant(size),
    payload(maxBleMessageSize(size), [size - 3, size - 2, size - 3 + size - 1 + 1]),
  ),
);

function reassemble(fragments: Uint8Array[], size: number): BleFrame[] {
  const r = new BleReassembler(size);
  return fragments.flatMap((f) => {
    const frame = r.push(f);
    return frame === undefined ? [] : [frame];
  });
}

const msg = (length: number, cmd: number = BleCommand.Msg): BleFrame => ({
  cmd,
  payload: Uint8Array.from({ length }, (_, i) => i & 0xff),
});

describe('BLE fragments', () => {
  it('round-trip any fragment size 20..512 and any payload that fits', () => {
    fc.assert(
      fc.property(sizedPayload, command, ([size, bytes], cmd) => {
        const fragments = encodeFragments({ cmd, payload: bytes }, size);
        expect(fragments.every((f) => f.length <= size)).toBe(true);
        expect(fragments.slice(1).map((f) => f[0])).toEqual(fragments.slice(1).map((_, i) => i));
        expect(reassemble(fragments, size)).toEqual([{ cmd, payload: bytes }]);
      }),
      { numRuns: 300 },
    );
  });

  it('at 20-byte fragments the first carries 17 bytes and each continuation 19', () => {
    const fragments = encodeFragments(msg(17 + 19 + 1), 20);
    expect(fragments.map((f) => f.length)).toEqual([20, 20, 2]);
    expect([...fragments[0]!.subarray(0, 3)]).toEqual([0x83, 0x00, 37]);
    expect([...fragments[2]!]).toEqual([0x01, 36]);
  });

  it('a message bigger than 128 continuations can carry at that size is overlong', () => {
    expect(maxBleMessageSize(20)).toBe(17 + 128 * 19);
    expect(maxBleMessageSize(512)).toBe(MAX_MESSAGE_SIZE);
    expect(encodeFragments(msg(2449), 20)).toHaveLength(129);
    refusal(() => encodeFragments(msg(2450), 20), ProtocolErrorCode.Overlong);
    refusal(() => encodeFragments(msg(MAX_MESSAGE_SIZE + 1), 512), ProtocolErrorCode.Overlong);
    const declared = Uint8Array.of(0x83, 0x09, 0x92); // 2450 bytes declared
    const error = refusal(() => new BleReassembler(20).push(declared), ProtocolErrorCode.Overlong);
    expect(bleErrorFor(error)).toBe(BleError.InvalidLen);
  });

  it('refuses fragment sizes outside 20..512 and commands without bit 7', () => {
    refusal(() => encodeFragments(msg(1), 19), ProtocolErrorCode.BadField);
    refusal(() => encodeFragments(msg(1), 513), ProtocolErrorCode.BadField);
    refusal(() => new BleReassembler(10), ProtocolErrorCode.BadField);
    refusal(() => encodeFragments(msg(1, 0x03), 20), ProtocolErrorCode.BadField);
  });

  it('a continuation out of order is a bad sequence and drops the message', () => {
    const fragments = encodeFragments(msg(100), 20);
    const r = new BleReassembler(20);
    r.push(fragments[0]!);
    r.push(fragments[1]!);
    const error = refusal(() => r.push(fragments[3]!), ProtocolErrorCode.BadSequence);
    expect(error.details).toEqual({ seq: 2, expectedSeq: 1 });
    expect(bleErrorFor(error)).toBe(BleError.InvalidSeq);
    refusal(() => r.push(fragments[2]!), ProtocolErrorCode.BadSequence);
    expect(reassemble(fragments, 20)).toHaveLength(1);
  });

  it('a first fragment mid-message is a bad sequence', () => {
    const fragments = encodeFragments(msg(100), 20);
    const r = new BleReassembler(20);
    r.push(fragments[0]!);
    refusal(() => r.push(fragments[0]!), ProtocolErrorCode.BadSequence);
  });

  it('empty and header-short fragments are truncated; too many bytes are overlong', () => {
    const r = new BleReassembler(20);
    refusal(() => r.push(new Uint8Array(0)), ProtocolErrorCode.Truncated);
    refusal(() => r.push(Uint8Array.of(0x83, 0x00)), ProtocolErrorCode.Truncated);
    refusal(() => r.push(Uint8Array.of(0x83, 0x00, 0x01, 0xaa, 0xbb)), ProtocolErrorCode.Overlong);
    refusal(() => r.push(new Uint8Array(21).fill(0x83)), ProtocolErrorCode.Overlong);
    r.push(Uint8Array.of(0x83, 0x00, 0x12, ...new Uint8Array(17)));
    refusal(() => r.push(Uint8Array.of(0x00, 1, 2)), ProtocolErrorCode.Overlong);
  });

  it('an unknown command is reported once its message is complete', () => {
    const error = refusal(
      () => reassemble(encodeFragments(msg(30, 0x90), 20), 20),
      ProtocolErrorCode.UnknownCommand,
    );
    expect(error.details).toEqual({ cmd: 0x90 });
    expect(bleErrorFor(error)).toBe(BleError.InvalidCmd);
  });

  it('any fragment sequence reassembles or throws ProtocolError, never anything else', () => {
    fc.assert(
      fc.property(
        fragmentSize,
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 30 }),
        (size, fragments) => {
          const r = new BleReassembler(size);
          for (const f of fragments) decodesOrRefuses(() => r.push(f));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('GATT', () => {
  it('uses lowercase undashed vendor UUIDs, all distinct, with dashed forms', () => {
    const all = [HIDEEZ_SERVICE_UUID, CONTROL_POINT_UUID, STATUS_UUID, CONTROL_POINT_LENGTH_UUID];
    expect(all.every((u) => /^[0-9a-f]{32}$/.test(u))).toBe(true);
    expect(new Set(all).size).toBe(4);
    expect(HIDEEZ_SERVICE_UUID_DASHED.replaceAll('-', '')).toBe(HIDEEZ_SERVICE_UUID);
  });

  it('control point length round-trips 20..512 as 2 bytes big-endian', () => {
    fc.assert(
      fc.property(fragmentSize, (size) => {
        const bytes = encodeControlPointLength(size);
        expect(bytes).toEqual(Uint8Array.of(size >> 8, size & 0xff));
        expect(decodeControlPointLength(bytes)).toBe(size);
      }),
    );
    refusal(() => decodeControlPointLength(Uint8Array.of(0x02, 0x01)), ProtocolErrorCode.BadField);
    refusal(() => decodeControlPointLength(Uint8Array.of(0x14)), ProtocolErrorCode.Truncated);
    refusal(() => encodeControlPointLength(19), ProtocolErrorCode.BadField);
  });

  it('the fragment size is the ATT MTU minus 3, within 20..512', () => {
    expect(fragmentSizeForMtu(23)).toBe(20);
    expect(fragmentSizeForMtu(185)).toBe(182);
    expect(fragmentSizeForMtu(517)).toBe(512);
    expect(fragmentSizeForMtu(1000)).toBe(512);
    expect(fragmentSizeForMtu(5)).toBe(20);
  });

  it('arbitrary control point length bytes decode or throw ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4 }), (bytes) => {
        decodesOrRefuses(() => decodeControlPointLength(bytes));
      }),
    );
  });
});

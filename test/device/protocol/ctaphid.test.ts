import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CTAPHID_BROADCAST_CID,
  CtapHidCommand,
  CtapHidError,
  type CtapHidFrame,
  CtapHidReassembler,
  HID_REPORT_SIZE,
  MAX_MESSAGE_SIZE,
  ctapHidErrorFor,
  decodeInitRequest,
  decodeInitResponse,
  encodeInitRequest,
  encodeInitResponse,
  encodeReports,
} from '../../../device/protocol/ctaphid';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { decodesOrRefuses, payload, refusal } from './arbitraries';

const cid = fc.integer({ min: 1, max: 0xffffffff });
const command = fc.constantFrom(...Object.values(CtapHidCommand));

function reassemble(reports: Uint8Array[]): CtapHidFrame[] {
  const reassembler = new CtapHidReassembler();
  const frames: CtapHidFrame[] = [];
  for (const report of reports) {
    const frame = reassembler.push(report);
    if (frame !== undefined) frames.push(frame);
  }
  return frames;
}

const frameOf = (cidValue: number, length: number, cmd: number = CtapHidCommand.HideezMessage) => ({
  cid: cidValue,
  cmd,
  payload: Uint8Array.from({ length }, (_, i) => i & 0xff),
});

describe('CTAPHID framing', () => {
  it('round-trips any channel, command and payload of 0..7609 bytes', () => {
    fc.assert(
      fc.property(
        cid,
        command,
        payload(MAX_MESSAGE_SIZE, [56, 57, 58, 57 + 59, 57 + 59 + 1, MAX_MESSAGE_SIZE - 1]),
        (c, cmd, bytes) => {
          const reports = encodeReports({ cid: c, cmd, payload: bytes });
          expect(reports.every((r) => r.length === HID_REPORT_SIZE)).toBe(true);
          expect(reports).toHaveLength(1 + Math.ceil(Math.max(0, bytes.length - 57) / 59));
          expect(reassemble(reports)).toEqual([{ cid: c, cmd, payload: bytes }]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('lays out the init packet as CID | CMD|0x80 | BCNT | data, continuation as CID | SEQ | data', () => {
    const reports = encodeReports(frameOf(0x01020304, 57 + 59 + 1));
    expect(reports).toHaveLength(3);
    const [init, first, second] = reports as [Uint8Array, Uint8Array, Uint8Array];
    expect([...init.subarray(0, 7)]).toEqual([1, 2, 3, 4, 0xc0, 0x00, 117]);
    expect(init[7]).toBe(0);
    expect(init[63]).toBe(56);
    expect([...first.subarray(0, 6)]).toEqual([1, 2, 3, 4, 0x00, 57]);
    expect([...second.subarray(0, 6)]).toEqual([1, 2, 3, 4, 0x01, 116]);
    // Zero padding after the last byte.
    expect(second.subarray(6).every((b) => b === 0)).toBe(true);
  });

  it('a 7609-byte message takes exactly one init and 128 continuation reports', () => {
    const reports = encodeReports(frameOf(7, MAX_MESSAGE_SIZE));
    expect(reports).toHaveLength(129);
    expect(reports.at(-1)?.[4]).toBe(0x7f);
  });

  it('ignores padding: a short message in a report full of junk after BCNT bytes', () => {
    const [report] = encodeReports(frameOf(9, 3)) as [Uint8Array];
    report.fill(0xee, 10);
    expect(new CtapHidReassembler().push(report)?.payload).toEqual(Uint8Array.of(0, 1, 2));
  });

  it('refuses to encode past 7609 bytes, channel 0 or a command with bit 7 set', () => {
    refusal(() => encodeReports(frameOf(1, MAX_MESSAGE_SIZE + 1)), ProtocolErrorCode.Overlong);
    refusal(() => encodeReports(frameOf(0, 1)), ProtocolErrorCode.BadChannel);
    refusal(() => encodeReports(frameOf(1, 1, 0x86)), ProtocolErrorCode.BadField);
  });

  it('refuses channel 0 on the wire', () => {
    const report = new Uint8Array(64);
    report[4] = 0x81;
    const error = refusal(
      () => new CtapHidReassembler().push(report),
      ProtocolErrorCode.BadChannel,
    );
    expect(error.details).toEqual({ cid: 0 });
    expect(ctapHidErrorFor(error)).toBe(CtapHidError.InvalidChannel);
  });

  it('a declared length past 7609 is overlong', () => {
    const report = new Uint8Array(64);
    report.set([0, 0, 0, 1, 0xc0, 0x1d, 0xba]); // BCNT 7610
    const error = refusal(() => new CtapHidReassembler().push(report), ProtocolErrorCode.Overlong);
    expect(error.details?.['cid']).toBe(1);
  });

  it('short and long reports are refused as truncated and overlong', () => {
    const r = new CtapHidReassembler();
    refusal(() => r.push(new Uint8Array(4)), ProtocolErrorCode.Truncated);
    refusal(() => r.push(new Uint8Array(63).fill(1)), ProtocolErrorCode.Truncated);
    refusal(() => r.push(new Uint8Array(65).fill(1)), ProtocolErrorCode.Overlong);
  });

  it('a continuation out of order is a bad sequence and drops the message', () => {
    const [init, , second] = encodeReports(frameOf(5, 200));
    const r = new CtapHidReassembler();
    expect(r.push(init!)).toBeUndefined();
    const error = refusal(() => r.push(second!), ProtocolErrorCode.BadSequence);
    expect(error.details).toMatchObject({ cid: 5, seq: 1, expectedSeq: 0 });
    expect(ctapHidErrorFor(error)).toBe(CtapHidError.InvalidSeq);
    // Ready for a new message at once.
    expect(reassemble(encodeReports(frameOf(5, 10)))).toHaveLength(1);
    expect(r.busyCid).toBeUndefined();
  });

  it('a continuation with no message in progress is a bad sequence', () => {
    const [, cont] = encodeReports(frameOf(5, 100));
    refusal(() => new CtapHidReassembler().push(cont!), ProtocolErrorCode.BadSequence);
  });

  it('another channel mid-message is busy, and the first message still completes', () => {
    const reports = encodeReports(frameOf(0xaa, 150));
    const intruder = encodeReports(frameOf(0xbb, 4))[0]!;
    const r = new CtapHidReassembler();
    r.push(reports[0]!);
    const error = refusal(() => r.push(intruder), ProtocolErrorCode.BadChannel);
    expect(error.details).toEqual({ cid: 0xbb, busyCid: 0xaa });
    expect(ctapHidErrorFor(error)).toBe(CtapHidError.ChannelBusy);
    expect(r.push(reports[1]!)).toBeUndefined();
    expect(r.push(reports[2]!)).toEqual(frameOf(0xaa, 150));
  });

  it('a new init packet on the same channel mid-message is a bad sequence, unless it is INIT', () => {
    const long = encodeReports(frameOf(3, 100));
    const r = new CtapHidReassembler();
    r.push(long[0]!);
    refusal(() => r.push(encodeReports(frameOf(3, 1))[0]!), ProtocolErrorCode.BadSequence);
    r.push(long[0]!);
    const init = { cid: 3, cmd: CtapHidCommand.Init, payload: new Uint8Array(8).fill(7) };
    expect(r.push(encodeReports(init)[0]!)).toEqual(init);
  });

  it('an unknown command is reported once its whole message has arrived', () => {
    const reports = encodeReports(frameOf(2, 100, 0x55));
    const r = new CtapHidReassembler();
    expect(r.push(reports[0]!)).toBeUndefined();
    const error = refusal(() => r.push(reports[1]!), ProtocolErrorCode.UnknownCommand);
    expect(error.details).toEqual({ cid: 2, cmd: 0x55 });
    expect(ctapHidErrorFor(error)).toBe(CtapHidError.InvalidCmd);
    expect(r.busyCid).toBeUndefined();
  });

  it('any report sequence either reassembles or throws ProtocolError, never anything else', () => {
    const report = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 70 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }),
      fc
        .tuple(fc.constantFrom(1, 2), fc.nat(127), fc.uint8Array({ minLength: 59, maxLength: 59 }))
        .map(([c, seq, data]) => Uint8Array.from([0, 0, 0, c, seq, ...data])),
    );
    fc.assert(
      fc.property(fc.array(report, { maxLength: 20 }), (reports) => {
        const r = new CtapHidReassembler();
        for (const rep of reports) decodesOrRefuses(() => r.push(rep));
      }),
      { numRuns: 300 },
    );
  });

  it('mutated reports of valid messages reassemble or throw ProtocolError', () => {
    fc.assert(
      fc.property(
        cid,
        payload(400),
        fc.array(fc.tuple(fc.nat(), fc.nat(63), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (c, bytes, flips) => {
          const reports = encodeReports({
            cid: c,
            cmd: CtapHidCommand.HideezMessage,
            payload: bytes,
          });
          for (const [which, at, xor] of flips) {
            const rep = reports[which % reports.length]!;
            rep[at] = (rep[at] ?? 0) ^ xor;
          }
          const r = new CtapHidReassembler();
          for (const rep of reports) decodesOrRefuses(() => r.push(rep));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('CTAPHID INIT', () => {
  const initResponse = fc.record({
    nonce: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    cid: fc.integer({ min: 1, max: 0xfffffffe }),
    protocolVersion: fc.nat(255),
    versionMajor: fc.nat(255),
    versionMinor: fc.nat(255),
    versionBuild: fc.nat(255),
    capabilities: fc.nat(255),
  });

  it('round-trips any INIT response in 17 bytes', () => {
    fc.assert(
      fc.property(initResponse, (r) => {
        const bytes = encodeInitResponse(r);
        expect(bytes).toHaveLength(17);
        expect(decodeInitResponse(bytes)).toEqual(r);
      }),
    );
  });

  it('the INIT request is exactly an 8-byte nonce', () => {
    const nonce = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    expect(decodeInitRequest(encodeInitRequest(nonce))).toEqual(nonce);
    refusal(() => decodeInitRequest(nonce.subarray(0, 7)), ProtocolErrorCode.Truncated);
    refusal(() => decodeInitRequest(new Uint8Array(9)), ProtocolErrorCode.BadField);
    refusal(() => encodeInitRequest(new Uint8Array(4)), ProtocolErrorCode.BadField);
  });

  it('an INIT response must allocate a real channel and be 17 bytes', () => {
    const base = {
      nonce: new Uint8Array(8),
      protocolVersion: 2,
      versionMajor: 1,
      versionMinor: 0,
      versionBuild: 0,
      capabilities: 1,
    };
    refusal(() => encodeInitResponse({ ...base, cid: 0 }), ProtocolErrorCode.BadChannel);
    refusal(
      () => encodeInitResponse({ ...base, cid: CTAPHID_BROADCAST_CID }),
      ProtocolErrorCode.BadChannel,
    );
    const good = encodeInitResponse({ ...base, cid: 1 });
    refusal(() => decodeInitResponse(good.subarray(0, 16)), ProtocolErrorCode.Truncated);
    refusal(() => decodeInitResponse(Uint8Array.from([...good, 0])), ProtocolErrorCode.BadField);
    refusal(() => decodeInitResponse(new Uint8Array(17)), ProtocolErrorCode.BadChannel);
  });

  it('arbitrary INIT payloads decode or throw ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), (bytes) => {
        decodesOrRefuses(() => decodeInitResponse(bytes));
        decodesOrRefuses(() => decodeInitRequest(bytes));
      }),
    );
  });
});

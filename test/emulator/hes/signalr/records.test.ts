import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RECORD_SEPARATOR,
  decodeFrame,
  splitRecords,
  writeRecord,
} from '../../../../emulator/hes/signalr/records';
import { SignalRErrorCode, isSignalRError } from '../../../../emulator/hes/signalr/signalr-error';

const recordText = fc.string({ unit: 'grapheme' }).filter((s) => !s.includes(RECORD_SEPARATOR));
const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

describe('SignalR record framing (0x1E)', () => {
  it('splits a frame back into the records written into it', () => {
    fc.assert(
      fc.property(fc.array(recordText, { maxLength: 8 }), (texts) => {
        const frame = texts.map(writeRecord).join('');
        expect(splitRecords(frame, 1 << 20)).toEqual(texts);
      }),
    );
  });

  it('never throws anything but a SignalRError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat({ max: 64 }), (text, max) => {
        try {
          splitRecords(text, max);
        } catch (e) {
          expect(isSignalRError(e)).toBe(true);
        }
      }),
    );
  });

  it('refuses a frame that does not end on a separator', () => {
    fc.assert(
      fc.property(
        fc.string(),
        recordText.filter((s) => s.length > 0),
        (head, tail) => {
          expect(() => splitRecords(`${head}${tail}`, 1 << 20)).toThrow(
            expect.objectContaining({ code: SignalRErrorCode.IncompleteRecord }),
          );
        },
      ),
    );
  });

  it('refuses a record whose bytes and separator pass the limit, accepts one at the limit', () => {
    fc.assert(
      fc.property(fc.array(recordText, { minLength: 1, maxLength: 4 }), (texts) => {
        const longest = Math.max(...texts.map(utf8Length));
        const frame = texts.map(writeRecord).join('');
        expect(splitRecords(frame, longest + 1)).toEqual(texts);
        if (longest > 0) {
          expect(() => splitRecords(frame, longest)).toThrow(
            expect.objectContaining({ code: SignalRErrorCode.MessageTooLarge }),
          );
        }
      }),
    );
  });

  it('decodes UTF-8 frames and refuses invalid UTF-8 with a typed error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(decodeFrame(new TextEncoder().encode(text))).toBe(text);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        try {
          decodeFrame(bytes);
        } catch (e) {
          expect(isSignalRError(e, SignalRErrorCode.BadEncoding)).toBe(true);
        }
      }),
    );
    expect(() => decodeFrame(new Uint8Array([0xc3]))).toThrow(
      expect.objectContaining({ code: SignalRErrorCode.BadEncoding }),
    );
  });

  it('has errors whose JSON is plain data without the frame text', () => {
    try {
      splitRecords('{"secret":"hunter2"}', 100);
    } catch (e) {
      expect(JSON.stringify(e)).not.toContain('hunter2');
      expect(JSON.parse(JSON.stringify(e))).toEqual({
        name: 'SignalRError',
        code: SignalRErrorCode.IncompleteRecord,
        message: 'The frame does not end with a record separator.',
        details: { length: 20 },
      });
    }
    expect.assertions(2);
  });
});

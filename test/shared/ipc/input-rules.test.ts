// The input rules: arbitrary input never throws, nothing out of rule is accepted,
// and no outcome carries the submitted value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_CODE_MAX_LENGTH,
  ACTIVATION_CODE_MIN_LENGTH,
  INPUT_ERROR_MESSAGES,
  InputErrorCode,
  PIN_MAX_LENGTH,
  checkActivationCode,
  checkPin,
  checkSerialNo,
  checkServerUrl,
  pinLengthResult,
} from '../../../shared/ipc/input-rules';

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const isDigits = (s: string): boolean => /^[0-9]*$/.test(s);

describe('activation codes', () => {
  it('accepts exactly 6–8 ASCII digits', () => {
    fc.assert(
      fc.property(digits(ACTIVATION_CODE_MIN_LENGTH, ACTIVATION_CODE_MAX_LENGTH), (code) => {
        expect(checkActivationCode(code)).toEqual({ ok: true });
      }),
    );
  });

  it('refuses everything else with a stable code and without the value', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), digits(0, 20), fc.anything()),
        (input) => {
          const result = checkActivationCode(input);
          const valid =
            typeof input === 'string' &&
            isDigits(input) &&
            input.length >= ACTIVATION_CODE_MIN_LENGTH &&
            input.length <= ACTIVATION_CODE_MAX_LENGTH;
          expect(result.ok).toBe(valid);
          if (!result.ok) {
            expect(Object.values(InputErrorCode)).toContain(result.code);
            expect(Object.keys(result)).toEqual(['ok', 'code']);
          }
        },
      ),
    );
  });

  it('names what is wrong: digits first, then length', () => {
    expect(checkActivationCode('12345')).toEqual({ ok: false, code: 'INPUT_CODE_TOO_SHORT' });
    expect(checkActivationCode('123456789')).toEqual({ ok: false, code: 'INPUT_CODE_TOO_LONG' });
    expect(checkActivationCode('12a456')).toEqual({ ok: false, code: 'INPUT_CODE_NOT_DIGITS' });
    expect(checkActivationCode('abc')).toEqual({ ok: false, code: 'INPUT_CODE_NOT_DIGITS' });
    expect(checkActivationCode('١٢٣٤٥٦')).toEqual({ ok: false, code: 'INPUT_CODE_NOT_DIGITS' });
    expect(checkActivationCode(123456)).toEqual({ ok: false, code: 'INPUT_CODE_NOT_DIGITS' });
  });
});

describe('PINs', () => {
  it('accepts 1–8 digits only', () => {
    fc.assert(
      fc.property(fc.oneof(digits(0, 12), fc.string(), fc.anything()), (input) => {
        const valid =
          typeof input === 'string' &&
          isDigits(input) &&
          input.length >= 1 &&
          input.length <= PIN_MAX_LENGTH;
        expect(checkPin(input).ok).toBe(valid);
      }),
    );
    expect(checkPin('')).toEqual({ ok: false, code: 'INPUT_PIN_EMPTY' });
    expect(checkPin('123456789')).toEqual({ ok: false, code: 'INPUT_PIN_TOO_LONG' });
    expect(checkPin('12 4')).toEqual({ ok: false, code: 'INPUT_PIN_NOT_DIGITS' });
  });

  it("checks a key's own bounds without going past 8", () => {
    fc.assert(
      fc.property(digits(0, 12), fc.nat(10), fc.nat(12), (pin, min, max) => {
        const result = pinLengthResult(pin, min, max);
        const expected =
          pin.length < min ? 'tooShort' : pin.length > Math.min(max, 8) ? 'tooLong' : 'ok';
        expect(result).toBe(expected);
      }),
    );
  });
});

describe('server URLs and serials', () => {
  it('accepts http(s) addresses with a host, refuses the rest', () => {
    for (const url of ['https://hes.example.com', 'http://127.0.0.1:5000/', 'https://a.b/c?d#e']) {
      expect(checkServerUrl(url)).toEqual({ ok: true });
    }
    for (const url of [
      '',
      'hes.example.com',
      'ftp://x',
      'javascript:alert(1)',
      'https://',
      'https://user:pw@host',
      'https://a b',
      `https://${'a'.repeat(2100)}`,
      null,
      42,
    ]) {
      expect(checkServerUrl(url)).toEqual({ ok: false, code: 'INPUT_URL_INVALID' });
    }
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        for (const check of [checkActivationCode, checkPin, checkServerUrl, checkSerialNo]) {
          expect(() => check(input)).not.toThrow();
        }
      }),
    );
  });

  it('serials are short plain identifiers', () => {
    expect(checkSerialNo('ST10000000000001')).toEqual({ ok: true });
    for (const s of ['', '../x', 'a b', 'x'.repeat(65), '-x', 1]) {
      expect(checkSerialNo(s).ok).toBe(false);
    }
  });

  it('messages are fixed text: no value can appear in them', () => {
    for (const message of Object.values(INPUT_ERROR_MESSAGES)) {
      expect(message).not.toMatch(/\{|\$/);
    }
  });
});

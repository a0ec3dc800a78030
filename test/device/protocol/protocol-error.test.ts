import { describe, expect, it } from 'vitest';
import {
  ProtocolError,
  ProtocolErrorCode,
  isProtocolError,
} from '../../../device/protocol/protocol-error';

describe('ProtocolError', () => {
  it('carries a stable code and plain details, and serialises to plain data', () => {
    const error = new ProtocolError(ProtocolErrorCode.BadChannel, 'busy', { cid: 2, busyCid: 1 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProtocolError');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ProtocolError',
      code: 'PROTOCOL_BAD_CHANNEL',
      message: 'busy',
      details: { cid: 2, busyCid: 1 },
    });
    expect(new ProtocolError(ProtocolErrorCode.Truncated, 'short').toJSON()).not.toHaveProperty(
      'details',
    );
  });

  it('isProtocolError tells ProtocolErrors, and their codes, from anything else', () => {
    const error = new ProtocolError(ProtocolErrorCode.BadSeal, 'no');
    expect(isProtocolError(error)).toBe(true);
    expect(isProtocolError(error, ProtocolErrorCode.BadSeal)).toBe(true);
    expect(isProtocolError(error, ProtocolErrorCode.BadCbor)).toBe(false);
    expect(isProtocolError(new Error('no'))).toBe(false);
    expect(isProtocolError({ code: 'PROTOCOL_BAD_SEAL' })).toBe(false);
  });

  it('every code is a distinct PROTOCOL_ string', () => {
    const codes = Object.values(ProtocolErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((c) => c.startsWith('PROTOCOL_'))).toBe(true);
  });
});

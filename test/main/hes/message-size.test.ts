import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../../../main/hes/base64';
import { HesError } from '../../../main/hes/hes-error';
import { assertMessageSize, invocationBytes } from '../../../main/hes/message-size';

describe('the 32 KB hub message limit', () => {
  it('counts the whole invocation record in UTF-8', () => {
    const args = [{ note: 'é'.repeat(10) }];
    const record = JSON.stringify({
      type: 1,
      invocationId: '1',
      target: 'SaveClientEvents',
      arguments: args,
    });
    expect(invocationBytes('SaveClientEvents', args)).toBeGreaterThan(Buffer.byteLength(record));
  });

  it('refuses a message over 32 KB before it is sent, without its contents', () => {
    const events = [{ note: 'x'.repeat(33_000) }];
    try {
      assertMessageSize('SaveClientEvents', events);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(HesError);
      const error = e as HesError;
      expect(error.reason).toBe('messageTooLarge');
      expect(JSON.stringify(error.toJSON())).not.toContain('xxxx');
    }
    expect(() =>
      assertMessageSize('SaveClientEvents', [{ note: 'x'.repeat(32_000) }]),
    ).not.toThrow();
  });
});

describe('base64 byte arrays', () => {
  it('round-trip any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
      }),
    );
  });

  it('refuse anything that is not strict base64', () => {
    for (const text of ['A', 'AB=', 'AB!=', 'A===', 'QUJD\n', ' QUJD']) {
      expect(decodeBase64(text)).toBeUndefined();
    }
  });
});

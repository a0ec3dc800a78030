import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { HesError } from '../../../main/hes/hes-error';
import { parseServerUrl } from '../../../main/hes/server-url';

function refusal(text: string): HesError {
  try {
    parseServerUrl(text);
  } catch (e) {
    if (e instanceof HesError) return e;
    throw e;
  }
  throw new Error(`accepted ${text}`);
}

describe('the server address', () => {
  it('builds the hub URLs from the base, with or without a trailing slash', () => {
    for (const text of ['https://hes.corp', 'https://hes.corp/', ' https://hes.corp// ']) {
      expect(parseServerUrl(text)).toEqual({
        base: 'https://hes.corp',
        appHub: 'https://hes.corp/appHub',
        deviceHub: 'https://hes.corp/deviceHub',
      });
    }
    expect(parseServerUrl('http://127.0.0.1:5000/hes/').appHub).toBe(
      'http://127.0.0.1:5000/hes/appHub',
    );
  });

  it('accepts only http and https', () => {
    for (const text of [
      'ftp://hes.corp',
      'ws://hes.corp',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(refusal(text).reason).toBe('invalidServerUrl');
    }
  });

  it('refuses credentials in the address and never repeats them', () => {
    const error = refusal('https://admin:hunter2@hes.corp');
    expect(error.code).toBe(HesErrorCode.HesConnectionNotInitialized);
    expect(JSON.stringify(error.toJSON())).not.toContain('hunter2');
    expect(error.message).not.toContain('admin');
    expect(refusal('https://token@hes.corp').reason).toBe('invalidServerUrl');
  });

  it('refuses empty, relative, query and fragment addresses', () => {
    for (const text of [
      '',
      '   ',
      'hes.corp',
      '/appHub',
      'https://hes.corp/?x=1',
      'https://hes.corp/#a',
    ]) {
      expect(refusal(text).reason).toBe('invalidServerUrl');
    }
  });

  it('either gives a normalised http(s) base or a typed refusal, for any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })),
        (text) => {
          try {
            const url = parseServerUrl(text);
            expect(url.base).toMatch(/^https?:\/\/[^/]/);
            expect(url.base.endsWith('/')).toBe(false);
            expect(url.appHub).toBe(`${url.base}/appHub`);
          } catch (e) {
            expect(e).toBeInstanceOf(HesError);
          }
        },
      ),
    );
  });
});

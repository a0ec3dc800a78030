// The header policy of the packaged page: strict, and it replaces any other.
import { describe, expect, it } from 'vitest';
import {
  APP_CONTENT_SECURITY_POLICY,
  withContentSecurityPolicy,
} from '../../../main/shell/content-security-policy';

const directives = new Map(
  APP_CONTENT_SECURITY_POLICY.split(';').map((part) => {
    const [name = '', ...values] = part.trim().split(/\s+/);
    return [name, values.join(' ')] as const;
  }),
);

describe('the content security policy', () => {
  it('denies by default and allows only our own bundle to run and load', () => {
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self'");
    for (const name of ['object-src', 'base-uri', 'form-action', 'frame-ancestors', 'frame-src']) {
      expect(directives.get(name), name).toBe("'none'");
    }
  });

  it('never allows inline or evaluated code, or any remote host', () => {
    expect(APP_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|https?:|\*|blob:/);
  });

  it('is added to the response headers, replacing a policy in any letter case', () => {
    const original = {
      'content-security-policy': ['default-src *'],
      'Content-Type': ['text/html'],
    };
    const headers = withContentSecurityPolicy(original);
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
    });
    expect(original['content-security-policy']).toEqual(['default-src *']);
    expect(withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
    });
  });
});

// The Content-Security-Policy the shell adds, by response header, to the app's own
// page in the packaged build. Only bundled files may run or load; nothing may be
// framed, posted, or embedded. 'self' in script-src is the bundle (the app serves no
// JSONP and no uploads): the one remark csp-evaluator makes, reviewed in
// build/security/allowlist.json. No electron import.

export type ResponseHeaders = Record<string, string | string[]>;

/**
 * The response headers with our policy, replacing any policy header already there
 * (header names compare case-insensitively). The input is not modified.
 */
export function withContentSecurityPolicy(
  headers: Readonly<Record<string, string | string[]>> | undefined,
): ResponseHeaders {
  const out: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  // One string literal on purpose: Electronegativity reads and evaluates it here.
  out['Content-Security-Policy'] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; frame-src 'none'; worker-src 'none'";
  return out;
}

export const APP_CONTENT_SECURITY_POLICY = withContentSecurityPolicy({})[
  'Content-Security-Policy'
] as string;

// What an admin request must show before any route runs, so another web site cannot use the
// administrator's browser or the loopback address against the stand-in:
//   - Host names this server: an IP literal or `localhost` with its port, or a name given in
//     `allowedHosts`. A DNS-rebound name (evil.example → 127.0.0.1) is refused.
//   - Origin, when a browser sends one, is this server's own.
//   - A request that may change state carries `Content-Type: application/json`: a browser
//     cannot send that cross-site without a CORS preflight, which the stand-in never grants,
//     so no "simple" cross-site request (a form, a text/plain POST) reaches an action.
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { RestError, RestErrorCode } from './rest-error';

export interface RequestGuardOptions {
  /** The port the server listens on. */
  readonly port: () => number;
  /** Host names (besides IP literals and localhost) the server answers to, any case. */
  readonly allowedHosts?: readonly string[];
}

const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/** The host name and port of a Host header; undefined if it is not one. */
function parseHost(header: string): { name: string; port: number } | undefined {
  const match = HOST_HEADER.exec(header);
  if (!match) return undefined;
  const name = (match[1] ?? '').replace(/^\[|\]$/g, '').toLowerCase();
  return { name, port: match[2] === undefined ? 80 : Number(match[2]) };
}

export function createRequestGuard(options: RequestGuardOptions): {
  /** Throws RestError 403 for a foreign Host or Origin. */
  checkSite(req: IncomingMessage): void;
  /** A request that may change state without a JSON content type (415). */
  needsJson(req: IncomingMessage): boolean;
} {
  const allowed = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const hostAllowed = (header: string | undefined): boolean => {
    if (header === undefined) return false;
    const host = parseHost(header);
    if (!host || host.port !== options.port()) return false;
    return isIP(host.name) !== 0 || host.name === 'localhost' || allowed.has(host.name);
  };
  return {
    checkSite(req) {
      const host = req.headers.host;
      if (!hostAllowed(host)) {
        throw new RestError(
          403,
          RestErrorCode.HostNotAllowed,
          'This server does not answer to that Host',
        );
      }
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
        throw new RestError(
          403,
          RestErrorCode.OriginNotAllowed,
          'Requests from other sites are refused',
        );
      }
    },
    needsJson(req) {
      if (req.method === 'GET' || req.method === 'HEAD') return false;
      const type = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
      return type !== 'application/json';
    },
  };
}

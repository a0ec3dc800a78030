// The connectivity check before switching servers: the negotiate POST the SignalR
// client itself starts with (`<appHub>/negotiate?negotiateVersion=1`), with a time
// limit. A server that answers it with a connection id speaks SignalR on /appHub.
// The address comes from a user, so the check is careful where it goes (address-policy.ts):
// http(s) only, no redirects, no link-local or metadata address (checked on the address it
// actually connects to, so a name that resolves there is refused too) unless allowed, and
// the WorkstationId header only to the server already configured.
import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { WORKSTATION_ID_HEADER } from '../../shared/hes/dto';
import { allowList, isAllowed, refusedKind, type RefusedKind } from './address-policy';
import { hesError } from './hes-error';
import type { ServerUrl } from './server-url';

export const CONNECTIVITY_TIMEOUT_MS = 30_000;
/** A negotiate answer is a few hundred bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface ConnectivityOptions {
  /** Sent only when set: the caller sets it for the configured server's own origin. */
  readonly workstationId?: string;
  readonly timeoutMs?: number;
  /** Hosts and addresses allowed although link-local or metadata (address-policy.ts). */
  readonly allowedAddresses?: readonly string[];
}

/** A resolved address the policy refuses (becomes HesError addressRefused). */
class RefusedAddress extends Error {
  readonly code = 'EADDRREFUSED';

  constructor(readonly kind: RefusedKind) {
    super('refused address');
  }
}

const refusedIn = (e: unknown): RefusedAddress | undefined => {
  if (e instanceof RefusedAddress) return e;
  const inner = e instanceof AggregateError ? (e.errors as unknown[]) : [];
  return inner.find((x): x is RefusedAddress => x instanceof RefusedAddress);
};

/** dns.lookup, refusing an answer that holds a refused address the user has not allowed. */
function checkedLookup(allowed: ReadonlySet<string>, host: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, '', 0);
      const addresses = found;
      const bad = addresses.find((a) => refusedKind(a.address) && !isAllowed(allowed, a.address));
      if (bad && !isAllowed(allowed, host)) {
        return callback(new RefusedAddress(refusedKind(bad.address) ?? 'linkLocal'), '', 0);
      }
      if (options.all) return callback(null, addresses, 0);
      const first = addresses[0];
      if (!first) return callback(new Error('no address'), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

function post(
  target: URL,
  headers: Record<string, string>,
  lookup: LookupFunction,
  signal: AbortSignal,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    // Node's http never follows a redirect: a 3xx is an answer, and not a 200.
    const req = send(
      target,
      { method: 'POST', headers, lookup, signal },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) return void res.destroy(new Error('answer too large'));
          chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function checkConnectivity(
  url: ServerUrl,
  options: ConnectivityOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? CONNECTIVITY_TIMEOUT_MS;
  const target = new URL(`${url.appHub}/negotiate?negotiateVersion=1`);
  const allowed = allowList(options.allowedAddresses ?? []);
  const kind = refusedKind(target.hostname);
  if (kind && !isAllowed(allowed, target.hostname)) throw hesError.addressRefused(kind);
  const headers: Record<string, string> = { 'Content-Type': 'text/plain', 'Content-Length': '0' };
  if (options.workstationId !== undefined) headers[WORKSTATION_ID_HEADER] = options.workstationId;
  let answer: { status: number; text: string };
  try {
    answer = await post(
      target,
      headers,
      checkedLookup(allowed, target.hostname),
      AbortSignal.timeout(timeoutMs),
    );
  } catch (e) {
    const refused = refusedIn(e);
    if (refused) throw hesError.addressRefused(refused.kind);
    const name = e instanceof Error ? e.name : 'Error';
    throw hesError.unreachable(
      name === 'TimeoutError' || name === 'AbortError'
        ? `no answer within ${timeoutMs} ms`
        : 'connection failed',
    );
  }
  if (answer.status < 200 || answer.status > 299) {
    throw hesError.unreachable(`negotiate answered HTTP ${answer.status}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text) as unknown;
  } catch {
    throw hesError.unreachable('negotiate answered something other than JSON');
  }
  const id =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)['connectionId']
      : undefined;
  if (typeof id !== 'string')
    throw hesError.unreachable('negotiate answered without a connection id');
}

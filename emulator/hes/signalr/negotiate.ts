// The negotiate step (POST `<hub>/negotiate?negotiateVersion=1`): hands out a
// connection id and a separate, random connection token that the transport (a
// WebSocket upgrade, the first poll or the event stream) must present once. Tokens
// not used in time are forgotten.

import { randomBytes } from 'node:crypto';
import type { TransportKind } from './transport';

export interface NegotiateResponse {
  readonly negotiateVersion?: number;
  readonly connectionId: string;
  readonly connectionToken?: string;
  readonly availableTransports: readonly {
    readonly transport: TransportKind;
    readonly transferFormats: readonly ('Text' | 'Binary')[];
  }[];
}

/** What ASP.NET Core 5 offers by default, in its order. */
const AVAILABLE_TRANSPORTS = [
  { transport: 'WebSockets', transferFormats: ['Text', 'Binary'] },
  { transport: 'ServerSentEvents', transferFormats: ['Text'] },
  { transport: 'LongPolling', transferFormats: ['Text', 'Binary'] },
] as const;

/** 16 random bytes, base64url: the shape ASP.NET Core uses for ids and tokens. */
const randomId = (): string => randomBytes(16).toString('base64url');

/** A connection id for a connection made without negotiate (skipNegotiation). */
export const newConnectionId = randomId;

/** The negotiate version to answer with: 1 when asked for 1 or more, else 0. */
export function negotiateVersion(query: URLSearchParams): 0 | 1 {
  const asked = Number.parseInt(query.get('negotiateVersion') ?? '0', 10);
  return Number.isInteger(asked) && asked >= 1 ? 1 : 0;
}

interface Pending {
  readonly hub: string;
  readonly connectionId: string;
  readonly timer: NodeJS.Timeout;
}

export class Negotiations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly expiresAfterMs: number) {}

  /** Registers a new connection for `hub` and returns the negotiate response body. */
  create(hub: string, version: 0 | 1): NegotiateResponse {
    const connectionId = randomId();
    // Version 0 clients connect with the connection id itself.
    const token = version === 1 ? randomId() : connectionId;
    const timer = setTimeout(() => this.pending.delete(token), this.expiresAfterMs);
    timer.unref();
    this.pending.set(token, { hub, connectionId, timer });
    const availableTransports = AVAILABLE_TRANSPORTS;
    return version === 1
      ? { negotiateVersion: 1, connectionId, connectionToken: token, availableTransports }
      : { connectionId, availableTransports };
  }

  /** Uses up a token: the connection id if it was issued for `hub` and not used yet. */
  take(hub: string, token: string | null): string | undefined {
    if (token === null) return undefined;
    const entry = this.pending.get(token);
    if (entry === undefined || entry.hub !== hub) return undefined;
    clearTimeout(entry.timer);
    this.pending.delete(token);
    return entry.connectionId;
  }

  clear(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }
}

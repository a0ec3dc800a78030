// The negotiate step (POST `<hub>/negotiate?negotiateVersion=1`): hands out a
// connection id and a separate, random connection token that the WebSocket
// upgrade must present once. Tokens not used in time are forgotten.

import { randomBytes } from 'node:crypto';

export interface NegotiateResponse {
  readonly negotiateVersion?: number;
  readonly connectionId: string;
  readonly connectionToken?: string;
  readonly availableTransports: readonly {
    readonly transport: 'WebSockets';
    readonly transferFormats: readonly ('Text' | 'Binary')[];
  }[];
}

/** 16 random bytes, base64url: the shape ASP.NET Core uses for ids and tokens. */
const randomId = (): string => randomBytes(16).toString('base64url');

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
    const availableTransports = [
      { transport: 'WebSockets', transferFormats: ['Text', 'Binary'] },
    ] as const;
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

  /** Whether a token is waiting for its upgrade (for a plain HTTP request on the hub path). */
  has(hub: string, token: string | null): boolean {
    return token !== null && this.pending.get(token)?.hub === hub;
  }

  clear(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }
}

// Which hub an HTTP request or WebSocket upgrade is for: `<hub>/negotiate` or
// `<hub>` itself. Paths match case-insensitively and with or without a trailing
// slash, as ASP.NET Core's endpoint routing does.

import { SignalRError, SignalRErrorCode } from './signalr-error';

export interface HubRoute {
  /** The hub's path as configured. */
  readonly hub: string;
  readonly negotiate: boolean;
  readonly query: URLSearchParams;
}

const normalize = (path: string): string => path.replace(/\/+$/, '').toLowerCase();

export class HubRoutes {
  private readonly byPath = new Map<string, string>();

  constructor(hubPaths: readonly string[]) {
    for (const hub of hubPaths) {
      const key = normalize(hub);
      if (!hub.startsWith('/') || key === '' || this.byPath.has(key)) {
        throw new SignalRError(SignalRErrorCode.BadHubDefinition, `Invalid hub path '${hub}'.`, {
          hub,
        });
      }
      this.byPath.set(key, hub);
    }
  }

  /** The route of a request URL (path and query, as in IncomingMessage.url), if it is for a hub. */
  match(url: string | undefined): HubRoute | undefined {
    if (url === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(url, 'http://localhost');
    } catch {
      return undefined;
    }
    const path = normalize(parsed.pathname);
    const direct = this.byPath.get(path);
    if (direct !== undefined) return { hub: direct, negotiate: false, query: parsed.searchParams };
    if (path.endsWith('/negotiate')) {
      const hub = this.byPath.get(path.slice(0, -'/negotiate'.length));
      if (hub !== undefined) return { hub, negotiate: true, query: parsed.searchParams };
    }
    return undefined;
  }
}

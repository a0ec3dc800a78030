// Builds one @microsoft/signalr HubConnection the way HES expects it (§4.1–4.2):
// the JSON protocol over WebSockets only, identifying headers on the negotiate POST
// and on the WebSocket upgrade, the `ws` package as the socket (so headers reach
// the upgrade whichever build of the client a bundler picks), and its logging
// routed to our own sink, never message contents.
import {
  HttpTransportType,
  HubConnectionBuilder,
  LogLevel,
  type HubConnection,
  type IHttpConnectionOptions,
  type ILogger,
} from '@microsoft/signalr';
import WebSocket from 'ws';

export type HubLog = (level: 'warning' | 'error', message: string) => void;

export interface HubConnectionSettings {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Close the connection when the server sends nothing for this long (SignalR default 30 s). */
  readonly serverTimeoutMs?: number;
  /** Ping the server this often (SignalR default 15 s). */
  readonly keepAliveMs?: number;
  /** Time limit of the negotiate POST. */
  readonly negotiateTimeoutMs?: number;
  readonly log?: HubLog;
}

function logger(log: HubLog | undefined): ILogger {
  return {
    log(level: LogLevel, message: string): void {
      if (log === undefined) return;
      if (level === LogLevel.Error || level === LogLevel.Critical) log('error', message);
      else if (level === LogLevel.Warning) log('warning', message);
    },
  };
}

export function buildHubConnection(settings: HubConnectionSettings): HubConnection {
  // `WebSocket` is read by the client but missing from its typings.
  const sink = logger(settings.log);
  const options: IHttpConnectionOptions & { WebSocket: unknown } = {
    headers: { ...settings.headers },
    transport: HttpTransportType.WebSockets,
    logger: sink,
    logMessageContent: false,
    withCredentials: false,
    WebSocket,
    ...(settings.negotiateTimeoutMs !== undefined ? { timeout: settings.negotiateTimeoutMs } : {}),
  };
  // The transport's logger (withUrl) and the hub's own (configureLogging: an unknown server
  // call, a completion for nobody) are separate; both go to our sink.
  const connection = new HubConnectionBuilder()
    .withUrl(settings.url, options)
    .configureLogging(sink)
    .build();
  if (settings.serverTimeoutMs !== undefined) {
    connection.serverTimeoutInMilliseconds = settings.serverTimeoutMs;
  }
  if (settings.keepAliveMs !== undefined) {
    connection.keepAliveIntervalInMilliseconds = settings.keepAliveMs;
  }
  return connection;
}

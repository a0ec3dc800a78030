// What a hub is to the SignalR server: its methods (matched case-insensitively,
// arity checked exactly, arguments bound, as ASP.NET Core does) and the caller handed to them.

export interface HubCaller {
  readonly connectionId: string;
  /** The hub's path as configured, e.g. '/appHub'. */
  readonly hub: string;
  /** Request headers of the WebSocket upgrade, names lower-cased (e.g. 'workstationid'). */
  readonly headers: Readonly<Record<string, string>>;
  /** Fire-and-forget server→client invocation {"type":1,"target":…,"arguments":[…]} (no invocationId). */
  send(target: string, ...args: unknown[]): void;
  /** Test hook: writes raw text to the socket as is (malformed frames). */
  sendRaw(text: string): void;
  /** Drops the socket without a close message (a network drop). */
  abort(): void;
  /** Sends a Close message {"type":7,"error":…} then closes. */
  close(error?: string): void;
}

export type HubMethod = (caller: HubCaller, args: readonly unknown[]) => unknown;

export interface HubMethodDefinition {
  readonly arity: number;
  /**
   * Reads the arguments into the parameters' types before the method runs, as ASP.NET's JSON
   * protocol binds them (argument-binder.ts); a HubBindingError it throws fails the invocation
   * with ASP.NET's binding-failure text. Without it the handler gets the JSON values as sent.
   */
  readonly bind?: (args: readonly unknown[]) => readonly unknown[];
  readonly handler: HubMethod;
}

export interface HubDefinition {
  /** Method names are matched case-insensitively, as ASP.NET does; arity is checked exactly. */
  readonly methods: Readonly<Record<string, HubMethodDefinition>>;
  onConnected?(caller: HubCaller): void;
  onDisconnected?(caller: HubCaller): void;
}

export interface SignalRServerOptions {
  /** Path → hub, e.g. {'/appHub': …}. */
  readonly hubs: Readonly<Record<string, HubDefinition>>;
  /** Ping {"type":6} after this long without sending anything. Default 15 000. */
  readonly keepAliveMs?: number;
  /** Nothing received for this long → the connection is dropped. Default 30 000. */
  readonly clientTimeoutMs?: number;
  /** No handshake within this long → handshake error and close. Default 15 000. */
  readonly handshakeTimeoutMs?: number;
  /** A larger incoming message closes the connection with an error. Default 32 768. */
  readonly maxMessageBytes?: number;
  /** Long polling: how long a poll waits for records before an empty 200. Default 90 000. */
  readonly pollTimeoutMs?: number;
  /** Long polling: a connection without a poll for this long is dropped. Default 15 000. */
  readonly disconnectTimeoutMs?: number;
  /**
   * ASP.NET's EnableDetailedErrors (off on HES): a failed binding then says why, e.g.
   * " InvalidDataException: Invocation provides 3 argument(s) but target expects 1.". A thrown
   * error's own message never reaches the client either way.
   */
  readonly detailedErrors?: boolean;
}

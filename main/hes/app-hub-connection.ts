// The AppHub connection (hes-contract.md §4.1–4.2): `<server>/appHub` with the
// WorkstationId header, kept up forever. One loop covers every way a connection
// ends: a first connect that fails, a dropped socket, a server timeout, a server
// Close message. SignalR's withAutomaticReconnect is not used because it covers
// neither the first connect nor a Close without `allowReconnect`; one loop with
// the same policy is simpler to reason about. After each successful connect the
// owner's `onUp` runs (registration), after each loss or failed try `onDown`.
import type { HubConnection } from '@microsoft/signalr';
import { WORKSTATION_ID_HEADER } from '../../shared/hes/dto';
import { OfflineReason } from '../../shared/view/server-state';
import { buildHubConnection, type HubLog } from './hub-connection-factory';
import { invokeWithLimits } from './invoke';
import { reconnectDelay, type ReconnectOptions } from './reconnect-policy';
import type { ServerUrl } from './server-url';

export type ClientMethod = (args: readonly unknown[]) => void;

export interface AppHubConnectionOptions {
  readonly url: ServerUrl;
  readonly workstationId: string;
  readonly reconnect: ReconnectOptions;
  readonly callTimeoutMs: number;
  /** Server → client methods (§4.5), by target name. */
  readonly methods: Readonly<Record<string, ClientMethod>>;
  /** After each successful (re)connect; `connection` is live. */
  readonly onUp: () => void;
  /** After a lost connection or a failed try, with the reason. */
  readonly onDown: (reason: OfflineReason) => void;
  readonly serverTimeoutMs?: number;
  readonly keepAliveMs?: number;
  readonly log?: HubLog;
  readonly random?: () => number;
}

/** Why a connect attempt failed: a time limit, or nobody answering. */
export function startFailureReason(error: unknown): OfflineReason {
  const text = error instanceof Error ? `${error.name} ${error.message}` : '';
  return /time(d)?\s?out/i.test(text) ? OfflineReason.Timeout : OfflineReason.Unreachable;
}

/** Why a live connection ended: the server went silent, or the link dropped. */
export function closeReason(error: unknown): OfflineReason {
  const text = error instanceof Error ? error.message : '';
  return /server timeout/i.test(text) ? OfflineReason.Timeout : OfflineReason.ConnectionLost;
}

export class AppHubConnection {
  private current: HubConnection | undefined;
  private starting: HubConnection | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: AppHubConnectionOptions) {}

  get connected(): boolean {
    return this.current !== undefined;
  }

  /** The live connection's id (tests and diagnostics). */
  get connectionId(): string | null {
    return this.current?.connectionId ?? null;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const connections = [this.current, this.starting];
    this.current = undefined;
    this.starting = undefined;
    await Promise.all(connections.flatMap((c) => (c === undefined ? [] : [c.stop()])));
    await this.loop;
  }

  /** Ends the wait before the next connection attempt (the user asked to retry). */
  retryNow(): void {
    if (this.current === undefined) this.wake?.();
  }

  invoke(target: string, args: readonly unknown[]): Promise<unknown> {
    return invokeWithLimits(this.current, target, args, this.options.callTimeoutMs);
  }

  private build(): HubConnection {
    const o = this.options;
    const connection = buildHubConnection({
      url: o.url.appHub,
      headers: { [WORKSTATION_ID_HEADER]: o.workstationId },
      negotiateTimeoutMs: o.callTimeoutMs,
      ...(o.serverTimeoutMs !== undefined ? { serverTimeoutMs: o.serverTimeoutMs } : {}),
      ...(o.keepAliveMs !== undefined ? { keepAliveMs: o.keepAliveMs } : {}),
      ...(o.log !== undefined ? { log: o.log } : {}),
    });
    for (const [target, method] of Object.entries(o.methods)) {
      connection.on(target, (...args: unknown[]) => method(args));
    }
    return connection;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const connection = this.build();
      this.starting = connection;
      try {
        await connection.start();
      } catch (e) {
        this.starting = undefined;
        if (this.stopped) break;
        this.options.onDown(startFailureReason(e));
        await this.sleep(reconnectDelay(attempt++, this.options.reconnect, this.options.random));
        continue;
      }
      this.starting = undefined;
      if (this.stopped) {
        await connection.stop();
        break;
      }
      attempt = 0;
      const closed = new Promise<Error | undefined>((resolve) => connection.onclose(resolve));
      this.current = connection;
      this.options.onUp();
      const error = await closed;
      if (this.current === connection) this.current = undefined;
      if (this.stopped) break;
      this.options.onDown(closeReason(error));
      await this.sleep(reconnectDelay(attempt++, this.options.reconnect, this.options.random));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

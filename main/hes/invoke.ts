// One hub invocation with the client's guarantees: refused before sending if over
// 32 KB, 601 if there is no live connection, a per-call time limit, and SignalR's
// own failures turned into HesError (never a raw Error of another kind).
import { HubConnectionState, type HubConnection } from '@microsoft/signalr';
import { hesError, isHesError } from './hes-error';
import { assertMessageSize } from './message-size';

export async function invokeWithLimits(
  connection: HubConnection | undefined,
  target: string,
  args: readonly unknown[],
  timeoutMs: number,
): Promise<unknown> {
  assertMessageSize(target, args);
  if (connection === undefined || connection.state !== HubConnectionState.Connected) {
    throw hesError.notConnected(target);
  }
  const call = connection.invoke<unknown>(target, ...args);
  // The call may settle after the timeout: it must not become an unhandled rejection.
  call.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(hesError.timeout(target, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([call, timeout]);
  } catch (e) {
    if (isHesError(e)) throw e;
    // A failed send or a connection closed under the call: no connection. Otherwise
    // the hub refused the call (its completion carried an error string).
    if (connection.state !== HubConnectionState.Connected) throw hesError.notConnected(target);
    throw hesError.hub(target, e instanceof Error ? e.message : 'the hub refused the call');
  } finally {
    clearTimeout(timer);
  }
}

// Connecting and disconnecting a noble peripheral, bounded in time, for every key
// family's GATT set-up: noble's callbacks may never fire when a link drops, so
// each step is raced against an abort signal or a timer.
import { callbackError } from './noble-call';
import type { PeripheralLike } from './noble-like';

/** How long a disconnect may take before we stop waiting for noble to confirm it. */
export const DISCONNECT_WAIT_MS = 2000;

export function connectOnce(peripheral: PeripheralLike, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      // noble's cancelConnect answers the pending connect callback with an error; ignore it.
      if (peripheral.state === 'connecting') peripheral.cancelConnect();
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    peripheral.connect((error) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) return;
      const failure = callbackError(error);
      if (failure) reject(failure);
      else resolve();
    });
  });
}

/** After a failed attempt, leave the peripheral disconnected before the next one. */
export async function settleLink(peripheral: PeripheralLike): Promise<void> {
  if (peripheral.state !== 'connected' && peripheral.state !== 'disconnecting') return;
  await disconnectBounded(peripheral);
}

export function disconnectBounded(peripheral: PeripheralLike): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(finish, DISCONNECT_WAIT_MS);
    function finish(): void {
      clearTimeout(timer);
      peripheral.removeListener('disconnect', finish);
      resolve();
    }
    peripheral.on('disconnect', finish);
    peripheral.disconnect();
  });
}

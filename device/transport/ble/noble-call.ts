// noble reports results through callbacks that never fire when the link drops
// (hci-socket only warns about an unknown peripheral), so every GATT call is
// raced against the peripheral's 'disconnect' and an abort signal: a lost link
// rejects at once with DeviceError Disconnected instead of hanging.
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import type { NobleCallbackError, PeripheralLike } from './noble-like';

export const disconnectedError = (reason: string): DeviceError =>
  new DeviceError(DeviceErrorKind.Disconnected, 'The Bluetooth link to the key was lost', {
    reason,
  });

export const callbackError = (error: NobleCallbackError): Error | undefined =>
  error === null || error === undefined
    ? undefined
    : error instanceof Error
      ? error
      : new Error(String(error));

/**
 * Runs one callback-style noble call. `start` receives a noble-style callback;
 * the promise settles with its result, or rejects on disconnect or abort.
 */
export function nobleCall<T>(
  peripheral: PeripheralLike,
  start: (done: (error: NobleCallbackError, value: T) => void) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = (): void => {
      peripheral.removeListener('disconnect', onDisconnect);
      signal?.removeEventListener('abort', onAbort);
    };
    const onDisconnect = (): void => {
      cleanup();
      reject(disconnectedError('link lost'));
    };
    const onAbort = (): void => {
      cleanup();
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal?.aborted) return onAbort();
    peripheral.on('disconnect', onDisconnect);
    signal?.addEventListener('abort', onAbort, { once: true });
    start((error, value) => {
      cleanup();
      const failure = callbackError(error);
      if (failure) reject(failure);
      else resolve(value);
    });
  });
}

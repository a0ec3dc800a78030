// A connected noble peripheral as most key families use it: values written in order to one
// characteristic, notifications from another handed to listeners, and the link's loss told
// once. noble never calls back on a dropped link, so every write is raced against the
// peripheral's 'disconnect' (noble-call.ts) and fails at once with Disconnected.
import { disconnectedError, nobleCall } from './noble-call';
import { disconnectBounded } from './noble-connect';
import type { CharacteristicLike, PeripheralLike } from './noble-like';

export class NotifyingGattLink {
  #connected = true;
  #chain: Promise<void> = Promise.resolve();
  readonly #listeners = new Set<(value: Uint8Array) => void>();
  readonly #lossListeners = new Set<() => void>();

  constructor(
    private readonly peripheral: PeripheralLike,
    private readonly writeTo: CharacteristicLike,
    private readonly notifyFrom: CharacteristicLike,
    /** Told once when the link goes away, before the loss listeners. */
    private readonly onLost?: () => void,
  ) {
    notifyFrom.on('data', this.#onData);
    peripheral.on('disconnect', this.#onDisconnect);
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Writes one value after the ones before it; rejects Disconnected on link loss. */
  protected writeValue(value: Uint8Array, withoutResponse: boolean): Promise<void> {
    const run = (): Promise<void> => {
      if (!this.#connected) return Promise.reject(disconnectedError('link lost'));
      return nobleCall<undefined>(this.peripheral, (done) =>
        this.writeTo.write(value, withoutResponse, (e) => done(e, undefined)),
      );
    };
    const result = this.#chain.then(run, run);
    this.#chain = result.catch(() => undefined);
    return result;
  }

  onNotification(listener: (value: Uint8Array) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Fires once when the link goes away (also after disconnect()). */
  onLinkLoss(listener: () => void): () => void {
    if (!this.#connected) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.#lossListeners.add(listener);
    return () => this.#lossListeners.delete(listener);
  }

  async disconnect(): Promise<void> {
    if (!this.#connected) return;
    const confirmed = disconnectBounded(this.peripheral);
    // Do not wait for noble: the caller asked for the link to be gone.
    this.#onDisconnect();
    await confirmed;
  }

  readonly #onData = (data: Uint8Array, isNotification: boolean): void => {
    if (!isNotification || !this.#connected) return;
    const value = Uint8Array.from(data);
    for (const listener of [...this.#listeners]) listener(value);
  };

  readonly #onDisconnect = (): void => {
    if (!this.#connected) return;
    this.#connected = false;
    this.onLost?.();
    this.notifyFrom.removeListener('data', this.#onData);
    this.peripheral.removeListener('disconnect', this.#onDisconnect);
    const listeners = [...this.#lossListeners];
    this.#lossListeners.clear();
    this.#listeners.clear();
    for (const listener of listeners) listener();
  };
}

// A request for a serial number the manager has never seen (or has forgotten
// because the key went away). Separate from DeviceError Disconnected, which
// means a known key whose links are down: the UI says different things.

export const KEY_NOT_FOUND = 'DEVICE_KEY_NOT_FOUND';

export interface KeyNotFoundErrorData {
  readonly name: 'KeyNotFoundError';
  readonly code: typeof KEY_NOT_FOUND;
  readonly message: string;
  readonly details: { readonly serialNo: string };
}

export class KeyNotFoundError extends Error {
  override readonly name = 'KeyNotFoundError';
  readonly code = KEY_NOT_FOUND;
  readonly details: { readonly serialNo: string };

  constructor(serialNo: string) {
    super('No key with this serial number is connected');
    this.details = { serialNo };
  }

  toJSON(): KeyNotFoundErrorData {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

export const isKeyNotFoundError = (error: unknown): error is KeyNotFoundError =>
  error instanceof KeyNotFoundError;

// A request for a serial number the manager has never seen (or has forgotten
// because the key went away). Separate from DeviceError Disconnected, which
// means a known key whose links are down: the UI says different things.
import { CompanionError, type CompanionErrorJson } from '../../shared/errors/companion-error';

export const KEY_NOT_FOUND = 'DEVICE_KEY_NOT_FOUND';

export type KeyNotFoundErrorDetails = { readonly serialNo: string };

export type KeyNotFoundErrorData = CompanionErrorJson<
  typeof KEY_NOT_FOUND,
  'KeyNotFoundError',
  KeyNotFoundErrorDetails
>;

export class KeyNotFoundError extends CompanionError<
  typeof KEY_NOT_FOUND,
  KeyNotFoundErrorDetails
> {
  override readonly name = 'KeyNotFoundError';
  declare readonly details: KeyNotFoundErrorDetails;

  constructor(serialNo: string) {
    super(KEY_NOT_FOUND, 'No key with this serial number is connected', { serialNo });
  }
}

export const isKeyNotFoundError = (error: unknown): error is KeyNotFoundError =>
  error instanceof KeyNotFoundError;

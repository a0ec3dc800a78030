// How the virtual Key 3's Bluetooth face (key3-peripheral.ts) refuses a host, as a GATT
// stack would: not in range, already connected, not connected, a characteristic that does
// not allow the operation, or a host the key has not bonded with.
import { CompanionError } from '../../shared/errors/companion-error';

export type Key3LinkErrorCode =
  | 'KEY3_NOT_CONNECTED'
  | 'KEY3_ALREADY_CONNECTED'
  | 'KEY3_UNAVAILABLE'
  | 'KEY3_NOT_PERMITTED'
  | 'KEY3_NOT_PAIRED';

export class Key3LinkError extends CompanionError<Key3LinkErrorCode> {
  override readonly name = 'Key3LinkError';
}

/** The refusals the peripheral makes, with their fixed messages. */
export const key3LinkError = {
  unavailable: (): Key3LinkError =>
    new Key3LinkError('KEY3_UNAVAILABLE', 'The key is not in range'),
  alreadyConnected: (): Key3LinkError =>
    new Key3LinkError('KEY3_ALREADY_CONNECTED', 'Already connected'),
  notConnected: (): Key3LinkError => new Key3LinkError('KEY3_NOT_CONNECTED', 'Not connected'),
  notPermitted: (): Key3LinkError =>
    new Key3LinkError('KEY3_NOT_PERMITTED', 'The characteristic does not allow that'),
  notPaired: (): Key3LinkError =>
    new Key3LinkError('KEY3_NOT_PAIRED', 'Insufficient authentication'),
};

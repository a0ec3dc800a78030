// Field sizes and checks shared by the request builders (commands.ts) and the
// key-side request decoder (requests.ts), so both refuse exactly the same values.
// Errors name the field and its length, never its bytes (codes, PINs, keys).
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';
import { checkLength } from './bytes';

export const PUBLIC_KEY_BYTES = 65;
export const NONCE_BYTES = 8;
export const CODE_FIELD_BYTES = 8;
export const PIN_FIELD_BYTES = 8;
export const MASTER_KEY_BYTES = 32;
export const MIN_CODE_DIGITS = 6;
export const MIN_MAX_ATTEMPTS = 3;
export const MAX_MAX_ATTEMPTS = 15;
export const ACCESS_PAYLOAD_BYTES = 24 + MASTER_KEY_BYTES;
/** ACCESS payload byte 0: always 01 as the SDK writes it (its meaning is not documented). */
export const ACCESS_LAYOUT = 0x01;

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

/** An activation code: 6–8 ASCII digits. */
export function checkCode(code: Uint8Array): void {
  checkLength('code', code, MIN_CODE_DIGITS, CODE_FIELD_BYTES);
  if (!code.every(isDigit)) {
    throw protocolError(ProtocolErrorCode.BadField, 'the code must be ASCII digits', {
      field: 'code',
      length: code.length,
    });
  }
}

/** A PIN: 1–8 bytes, none zero (zeros are the field's padding). */
export function checkPin(field: string, pin: Uint8Array): void {
  checkLength(field, pin, 1, PIN_FIELD_BYTES);
  if (pin.includes(0)) {
    throw protocolError(ProtocolErrorCode.BadField, 'a PIN byte is zero', {
      field,
      length: pin.length,
    });
  }
}

/** An uncompressed public key: 65 bytes, 04 ‖ X ‖ Y (whether it is on the curve is the crypto layer's check). */
export function checkPublicKey(field: string, publicKey: Uint8Array): void {
  checkLength(field, publicKey, PUBLIC_KEY_BYTES);
  if (publicKey[0] !== 0x04) {
    throw protocolError(ProtocolErrorCode.BadField, 'a public key is 04 ‖ X ‖ Y', { field });
  }
}

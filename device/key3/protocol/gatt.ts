// The Key 3's GATT layout (reference §1): one vendor service with a main
// characteristic (packets both ways: write without response, notify) and an info
// characteristic read once per connection to detect bootloader mode. UUIDs are
// given dashed as the vendor writes them and normalised as noble reports them.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';

/** The service UUID in the advertisement (the vendor's "AD service" constant). */
export const ADVERTISED_SERVICE_UUID = '59ac0000-0f4a-ca95-0849-a6670829557f';
/** The only GATT service the host opens. */
export const SERVICE_UUID = '59ac0001-0f4a-ca95-0849-a6670829557f';
/** Host→key packets (write without response; the wake-up write uses write with response), key→host notifications. */
export const MAIN_CHARACTERISTIC_UUID = '59ac0007-0f4a-ca95-0849-a6670829557f';
/** Read once before subscribing: byte 0 tells bootloader mode; an empty value aborts the connection. */
export const INFO_CHARACTERISTIC_UUID = '59ac0005-0f4a-ca95-0849-a6670829557f';
/** Declared by the vendor SDK but used by no vendor code; properties unknown. */
export const BOOT_CHARACTERISTIC_UUID = '59ac000a-0f4a-ca95-0849-a6670829557f';

/** Lowercase without dashes: the form noble uses for 128-bit UUIDs. */
export const normaliseUuid = (uuid: string): string => uuid.replaceAll('-', '').toLowerCase();

export const KEY3_UUIDS = {
  advertised: normaliseUuid(ADVERTISED_SERVICE_UUID),
  service: normaliseUuid(SERVICE_UUID),
  main: normaliseUuid(MAIN_CHARACTERISTIC_UUID),
  info: normaliseUuid(INFO_CHARACTERISTIC_UUID),
  boot: normaliseUuid(BOOT_CHARACTERISTIC_UUID),
} as const;

/**
 * For the record: SDK builds up to May 2019 used prefix 49ac for the same UUIDs
 * (there was no info characteristic then). Not matched by isKey3Advertisement.
 */
export const LEGACY_KEY3_UUIDS = {
  advertised: '49ac00000f4aca950849a6670829557f',
  service: '49ac00010f4aca950849a6670829557f',
  main: '49ac00070f4aca950849a6670829557f',
  boot: '49ac000a0f4aca950849a6670829557f',
} as const;

/** The Key 3's local name: "HK-" and the last five digits of its serial number (a Key 4 is "HK4-…"). */
export const KEY3_NAME_PATTERN = /^HK-\d{5}$/;

export interface Key3AdvertisementFields {
  readonly localName?: string | undefined;
  readonly serviceUuids?: readonly string[] | undefined;
}

/**
 * Filter for a scanner: the vendor service UUID (advertised or GATT one) in the
 * advertisement, else the local-name pattern — no vendor host scans, so the UUID
 * being in the advertising data rests only on the constant's name.
 */
export function isKey3Advertisement(fields: Key3AdvertisementFields): boolean {
  const uuids = (fields.serviceUuids ?? []).map(normaliseUuid);
  if (uuids.includes(KEY3_UUIDS.advertised) || uuids.includes(KEY3_UUIDS.service)) return true;
  return fields.localName !== undefined && KEY3_NAME_PATTERN.test(fields.localName);
}

/**
 * Written once (with response) right after subscribing: the key sends no
 * notification before a first write. Opaque: neither CANCEL nor RESET. A fresh
 * copy per call so no caller can alter the constant.
 */
export const wakeUpWrite = (): Uint8Array => Uint8Array.of(0x02, 0x01);
export const WAKE_UP_WRITE: Uint8Array = wakeUpWrite();

/** Every packet on the main characteristic is at most 20 bytes (default ATT MTU 23 - 3). */
export const PACKET_SIZE = 20;

/** Info-characteristic byte 0 values that mean the key is in its bootloader. */
export const BOOTLOADER_INFO_BYTES: readonly number[] = [0x01, 0x64];

/**
 * Whether the info characteristic says bootloader mode (byte 0 is 0x01 or 0x64).
 * An empty value is an error: the vendor host aborts the connection on it.
 */
export function isBootloaderInfo(value: Uint8Array): boolean {
  const first = value[0];
  if (first === undefined) {
    throw protocolError(ProtocolErrorCode.Truncated, 'the info characteristic is empty', {
      length: 0,
    });
  }
  return BOOTLOADER_INFO_BYTES.includes(first);
}

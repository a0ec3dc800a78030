import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADVERTISED_SERVICE_UUID,
  BOOT_CHARACTERISTIC_UUID,
  INFO_CHARACTERISTIC_UUID,
  KEY3_NAME_PATTERN,
  KEY3_UUIDS,
  LEGACY_KEY3_UUIDS,
  MAIN_CHARACTERISTIC_UUID,
  PACKET_SIZE,
  SERVICE_UUID,
  WAKE_UP_WRITE,
  isBootloaderInfo,
  isKey3Advertisement,
  wakeUpWrite,
} from '../../../device/key3/protocol/gatt';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { decodesOrRefuses, refusal } from './helpers';

describe('Key 3 GATT', () => {
  it('has the vendor UUIDs, dashed and normalised', () => {
    expect(ADVERTISED_SERVICE_UUID).toBe('59ac0000-0f4a-ca95-0849-a6670829557f');
    expect(SERVICE_UUID).toBe('59ac0001-0f4a-ca95-0849-a6670829557f');
    expect(MAIN_CHARACTERISTIC_UUID).toBe('59ac0007-0f4a-ca95-0849-a6670829557f');
    expect(INFO_CHARACTERISTIC_UUID).toBe('59ac0005-0f4a-ca95-0849-a6670829557f');
    expect(BOOT_CHARACTERISTIC_UUID).toBe('59ac000a-0f4a-ca95-0849-a6670829557f');
    expect(KEY3_UUIDS).toEqual({
      advertised: '59ac00000f4aca950849a6670829557f',
      service: '59ac00010f4aca950849a6670829557f',
      main: '59ac00070f4aca950849a6670829557f',
      info: '59ac00050f4aca950849a6670829557f',
      boot: '59ac000a0f4aca950849a6670829557f',
    });
    expect(Object.values(LEGACY_KEY3_UUIDS).every((u) => /^49ac[0-9a-f]{28}$/.test(u))).toBe(true);
    expect(PACKET_SIZE).toBe(20);
  });

  it('recognises a Key 3 by service UUID in any form, else by its HK-nnnnn name', () => {
    expect(isKey3Advertisement({ serviceUuids: [KEY3_UUIDS.advertised] })).toBe(true);
    expect(isKey3Advertisement({ serviceUuids: [SERVICE_UUID.toUpperCase()] })).toBe(true);
    expect(isKey3Advertisement({ serviceUuids: ['180f', LEGACY_KEY3_UUIDS.advertised] })).toBe(
      false,
    );
    expect(isKey3Advertisement({ localName: 'HK-12345' })).toBe(true);
    expect(isKey3Advertisement({ localName: 'HK4-12345' })).toBe(false);
    expect(isKey3Advertisement({ localName: 'HK-1234' })).toBe(false);
    expect(isKey3Advertisement({ localName: 'HK-123456' })).toBe(false);
    expect(isKey3Advertisement({})).toBe(false);
    expect(KEY3_NAME_PATTERN.test('HK-00001')).toBe(true);
  });

  it('the wake-up write is 02 01, and callers cannot alter the one they are given', () => {
    expect([...WAKE_UP_WRITE]).toEqual([0x02, 0x01]);
    const mine = wakeUpWrite();
    mine[0] = 0xff;
    expect([...wakeUpWrite()]).toEqual([0x02, 0x01]);
  });

  it('bootloader mode is info byte 0 = 01 or 64; an empty value aborts', () => {
    expect(isBootloaderInfo(Uint8Array.of(0x01))).toBe(true);
    expect(isBootloaderInfo(Uint8Array.of(0x64, 0x00))).toBe(true);
    expect(isBootloaderInfo(Uint8Array.of(0x02))).toBe(false);
    expect(isBootloaderInfo(Uint8Array.of(0x00, 0x01))).toBe(false);
    refusal(() => isBootloaderInfo(new Uint8Array(0)), ProtocolErrorCode.Truncated);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), (v) =>
        decodesOrRefuses(() => isBootloaderInfo(v)),
      ),
    );
  });
});

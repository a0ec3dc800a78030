// LoadLicense (docs/protocol.md §5.7): eight slots, the first free one unless the host
// names a slot, refused while locked without a slot (as the Hideez firmware), the same
// blob stored once, ERR_STORAGE_FULL when all are taken, and a wipe frees them all.
import { describe, expect } from 'vitest';
import { Command } from '../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { ascii, itWithKey, statusOf, type UsbHost } from './key-hosts';

const blob = (n: number): Uint8Array =>
  Uint8Array.from({ length: 48 }, (_, i) => (i * 7 + n) & 0xff);
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('licences on the key', () => {
  const load = (usb: UsbHost, data: Uint8Array, slot?: number) =>
    usb.request(
      slot === undefined
        ? { command: Command.LoadLicense, data }
        : { command: Command.LoadLicense, data, slot },
    );

  itWithKey(
    'a blank key takes licences into its free slots, in order, and keeps them across a power cycle',
    async ({ key, usb }) => {
      expect(statusOf(await load(usb, blob(1)))).toBe(DeviceErrorCode.OK);
      expect(statusOf(await load(usb, blob(2)))).toBe(DeviceErrorCode.OK);
      expect(key.firmware.state.licenses.slice(0, 3)).toEqual([
        base64(blob(1)),
        base64(blob(2)),
        null,
      ]);
      // The same blob again (a host that lost the answer) takes no second slot.
      expect(statusOf(await load(usb, blob(1)))).toBe(DeviceErrorCode.OK);
      expect(key.firmware.state.licenses.filter((l) => l !== null)).toHaveLength(2);

      key.unplug();
      await key.plug();
      expect(key.firmware.state.licenses.filter((l) => l !== null)).toHaveLength(2);
    },
  );

  itWithKey(
    'refuses the first-free form while locked by a code, and takes an explicit slot',
    async ({ key, usb, server }) => {
      await server.link(usb, '123456');
      expect(statusOf(await load(usb, blob(3)))).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
      expect(statusOf(await load(usb, blob(3), 5))).toBe(DeviceErrorCode.OK);
      expect(key.firmware.state.licenses[5]).toBe(base64(blob(3)));
      // The code lock is untouched.
      expect((await usb.info()).lockedByCode).toBe(true);
      expect(
        statusOf(await usb.request({ command: Command.UnlockWithCode, code: ascii('123456') })),
      ).toBe(DeviceErrorCode.OK);
    },
  );

  itWithKey(
    'answers ERR_STORAGE_FULL when every slot is taken, and an explicit slot replaces',
    async ({ key, usb }) => {
      for (let i = 0; i < 8; i++)
        expect(statusOf(await load(usb, blob(10 + i)))).toBe(DeviceErrorCode.OK);
      expect(statusOf(await load(usb, blob(99)))).toBe(DeviceErrorCode.ERR_STORAGE_FULL);
      expect(statusOf(await load(usb, blob(99), 0))).toBe(DeviceErrorCode.OK);
      expect(key.firmware.state.licenses[0]).toBe(base64(blob(99)));
    },
  );

  itWithKey('a wipe frees every slot', async ({ key, usb, server }) => {
    await load(usb, blob(4));
    await server.link(usb, '123456');
    await server.wipe(usb);
    expect(key.firmware.state.licenses.every((l) => l === null)).toBe(true);
  });
});

// Activation by code, as the seeds describe it: the server links a blank key
// with a 6-digit code and 3 attempts; the user has three tries; three wrong
// codes lock the key for good until the admin issues a new code.
import { describe, expect } from 'vitest';
import { Command, KeyEvent } from '../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { CodeLockReason } from '../../../shared/key/key-info';
import { ascii, attemptsOf, infoOf, itWithKey, statusOf, type UsbHost } from './key-hosts';

const unlock = (usb: UsbHost, code: string) =>
  usb.request({ command: Command.UnlockWithCode, code: ascii(code) });

describe('activation by code', () => {
  itWithKey('a blank key asks to be linked and refuses codes', async ({ usb }) => {
    const info = await usb.info();
    expect(info.access.linkRequired).toBe(true);
    expect(info.lockedByCode).toBe(false);
    expect(info.canUnlock).toBe(false);
    expect(info.maxMessageSize).toBe(7609);
    expect(statusOf(await unlock(usb, '123456'))).toBe(DeviceErrorCode.ERR_NOT_INITIALIZED);
  });

  itWithKey(
    'Link locks the key by the code with the attempts the server set',
    async ({ usb, server }) => {
      const info = infoOf(await server.link(usb, '123456', 3));
      expect(info.access.linkRequired).toBe(false);
      expect(info.lockedByCode).toBe(true);
      expect(info.access.locked).toBe(true);
      expect(info.canUnlock).toBe(true);
      expect(info.unlockAttemptsRemain).toBe(3);
      expect(info.codeLockReason).toBe(CodeLockReason.FirstActivation);
      // Linking twice is refused: the key is no longer blank.
      expect(statusOf(await server.link(usb, '654321'))).toBe(
        DeviceErrorCode.ERR_ALREADY_INITIALIZED,
      );
    },
  );

  itWithKey(
    'the right code unlocks the key and says so with AccessChanged',
    async ({ usb, server }) => {
      await server.link(usb, '123456');
      const response = await unlock(usb, '123456');
      expect(statusOf(response)).toBe(DeviceErrorCode.OK);
      const event = await usb.nextEvent(
        (e) => e.event === KeyEvent.AccessChanged && !e.lockedByCode,
      );
      expect(event).toMatchObject({ lockedByCode: false, lockedByPin: false });
      const info = await usb.info();
      expect(info.lockedByCode).toBe(false);
      expect(info.access.locked).toBe(false);
      expect(info.codeLockReason).toBe(CodeLockReason.None);
      // Not locked any more: a code has nothing to unlock.
      expect(statusOf(await unlock(usb, '123456'))).toBe(DeviceErrorCode.ERR_NOT_LOCKED);
    },
  );

  itWithKey(
    'two wrong codes then the right one: attempts count down, then the key unlocks',
    async ({ usb, server }) => {
      await server.link(usb, '123456');
      const first = await unlock(usb, '111111');
      expect([statusOf(first), attemptsOf(first)]).toEqual([DeviceErrorCode.ERR_PIN_WRONG, 2]);
      const second = await unlock(usb, '222222');
      expect([statusOf(second), attemptsOf(second)]).toEqual([DeviceErrorCode.ERR_PIN_WRONG, 1]);
      expect((await usb.info()).unlockAttemptsRemain).toBe(1);
      expect(statusOf(await unlock(usb, '123456'))).toBe(DeviceErrorCode.OK);
      expect((await usb.info()).lockedByCode).toBe(false);
    },
  );

  itWithKey(
    'three wrong codes lock the key by code; even the right code is then refused',
    async ({ key, usb, server }) => {
      await server.link(usb, '123456');
      await unlock(usb, '111111');
      await unlock(usb, '222222');
      const third = await unlock(usb, '333333');
      expect([statusOf(third), attemptsOf(third)]).toEqual([
        DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE,
        0,
      ]);
      const info = await usb.info();
      expect(info).toMatchObject({ lockedByCode: true, canUnlock: false, unlockAttemptsRemain: 0 });
      expect(info.access.locked).toBe(true);
      expect(statusOf(await unlock(usb, '123456'))).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
      expect(key.info().lockedByCode).toBe(true);
      // A locked key confirms nothing, not even a button press.
      expect(statusOf(await usb.request({ command: Command.WaitButton, timeoutMs: 1000 }))).toBe(
        DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE,
      );
    },
  );

  itWithKey(
    'codes of the wrong length are refused without costing an attempt',
    async ({ usb, server }) => {
      await server.link(usb, '123456');
      expect(statusOf(await unlock(usb, '12345'))).toBe(DeviceErrorCode.ERR_INVALID_PARAMETER);
      expect(statusOf(await unlock(usb, '123456789'))).toBe(DeviceErrorCode.ERR_INVALID_PARAMETER);
      expect((await usb.info()).unlockAttemptsRemain).toBe(3);
    },
  );

  itWithKey(
    'the admin re-activates a code-locked key with a new code (LockDeviceCode)',
    async ({ usb, server }) => {
      await server.link(usb, '123456');
      for (const code of ['111111', '222222', '333333']) await unlock(usb, code);
      const relocked = infoOf(await server.lockDeviceCode(usb, '777777', 3));
      expect(relocked).toMatchObject({
        lockedByCode: true,
        canUnlock: true,
        unlockAttemptsRemain: 3,
        codeLockReason: CodeLockReason.Suspension,
      });
      expect(statusOf(await unlock(usb, '123456'))).toBe(DeviceErrorCode.ERR_PIN_WRONG);
      expect(statusOf(await unlock(usb, '777777'))).toBe(DeviceErrorCode.OK);
    },
  );

  itWithKey(
    'Access applies the profile once unlocked, and is refused while locked',
    async ({ usb, server }) => {
      await server.link(usb, '123456');
      expect(statusOf(await server.access(usb))).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
      await unlock(usb, '123456');
      const info = infoOf(await server.access(usb, { pinMinLength: 6, pinMaxTries: 5 }));
      expect(info.minPinLength).toBe(6);
      expect(info.pinAttemptsRemain).toBe(5);
      expect(info.access).toMatchObject({ newPinRequired: true, pinRequired: true, locked: false });
    },
  );
});

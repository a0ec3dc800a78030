// The PIN, as the access profile asks for it: set after activation (at least
// the profile's minimum length), entered on each connection, and a lockout
// after the profile's number of wrong tries that only the admin's new
// activation code (LockDeviceCode) ends, after which the user sets a new PIN.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Command, KeyEvent } from '../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { CodeLockReason } from '../../../shared/key/key-info';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import {
  ascii,
  attemptsOf,
  infoOf,
  pluggedKey,
  statusOf,
  TEST_HASH_COST,
  UsbHost,
  type TestServer,
} from './key-hosts';

const setPin = (usb: UsbHost, newPin: string, oldPin?: string) =>
  usb.request(
    oldPin === undefined
      ? { command: Command.SetPin, newPin: ascii(newPin) }
      : { command: Command.SetPin, newPin: ascii(newPin), oldPin: ascii(oldPin) },
  );
const enterPin = (usb: UsbHost, pin: string) =>
  usb.request({ command: Command.EnterPin, pin: ascii(pin) });

describe('PIN', () => {
  let key: VirtualKey;
  let usb: UsbHost;
  let server: TestServer;
  let cleanup: () => Promise<void>;

  /** An activated key with the profile applied: what the user has after activation. */
  async function activated(profile = {}): Promise<void> {
    await server.link(usb, '123456');
    await usb.request({ command: Command.UnlockWithCode, code: ascii('123456') });
    await server.access(usb, profile);
  }

  beforeEach(async () => {
    ({ key, usb, server, cleanup } = await pluggedKey());
  });
  afterEach(() => cleanup());

  it('after activation the key asks for a new PIN; a short one is refused', async () => {
    await activated({ pinMinLength: 6 });
    expect((await usb.info()).access).toMatchObject({ newPinRequired: true, pinRequired: true });
    expect(statusOf(await setPin(usb, '12345'))).toBe(DeviceErrorCode.ERR_PIN_TOO_SHORT);
    expect(statusOf(await setPin(usb, '123456789'))).toBe(DeviceErrorCode.ERR_PIN_TOO_LONG);
    expect(statusOf(await setPin(usb, '123456'))).toBe(DeviceErrorCode.OK);
    const info = await usb.info();
    expect(info.access).toMatchObject({ newPinRequired: false, pinRequired: false });
    expect(info.pinAttemptsRemain).toBe(10);
  });

  it('the first PIN cannot be set twice without the old one', async () => {
    await activated();
    await setPin(usb, '1234');
    expect(statusOf(await setPin(usb, '5678'))).toBe(DeviceErrorCode.ERR_ALREADY_INITIALIZED);
    expect(statusOf(await setPin(usb, '5678', '1234'))).toBe(DeviceErrorCode.OK);
  });

  it('after a replug the PIN is asked again and the right one is accepted', async () => {
    await activated();
    await setPin(usb, '1234');
    key.unplug();
    await key.plug();
    const usb2 = new UsbHost(key.hid);
    await usb2.init();
    expect((await usb2.info()).access.pinRequired).toBe(true);
    expect(statusOf(await enterPin(usb2, '1234'))).toBe(DeviceErrorCode.OK);
    await usb2.nextEvent((e) => e.event === KeyEvent.AccessChanged);
    expect((await usb2.info()).access.pinRequired).toBe(false);
  });

  it('wrong PINs count down and the last one locks the key by PIN', async () => {
    await activated({ pinMaxTries: 3 });
    await setPin(usb, '1234');
    const first = await enterPin(usb, '0000');
    expect([statusOf(first), attemptsOf(first)]).toEqual([DeviceErrorCode.ERR_PIN_WRONG, 2]);
    const second = await enterPin(usb, '1111');
    expect([statusOf(second), attemptsOf(second)]).toEqual([DeviceErrorCode.ERR_PIN_WRONG, 1]);
    const third = await enterPin(usb, '2222');
    expect([statusOf(third), attemptsOf(third)]).toEqual([
      DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN,
      0,
    ]);
    const event = await usb.nextEvent((e) => e.event === KeyEvent.AccessChanged && e.lockedByPin);
    expect(event).toMatchObject({ lockedByPin: true, lockedByCode: false });
    const info = await usb.info();
    expect(info).toMatchObject({
      lockedByPin: true,
      lockedByCode: false,
      pinAttemptsRemain: 0,
      canUnlock: false,
    });
    expect(info.access.locked).toBe(true);
    // Locked: even the right PIN, a PIN change and server commands needing an unlocked key are refused.
    expect(statusOf(await enterPin(usb, '1234'))).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN);
    expect(statusOf(await setPin(usb, '9999', '1234'))).toBe(
      DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN,
    );
    expect(statusOf(await server.checkPassphrase(usb))).toBe(
      DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN,
    );
  });

  it('a right PIN restores the tries', async () => {
    await activated({ pinMaxTries: 3 });
    await setPin(usb, '1234');
    await enterPin(usb, '0000');
    await enterPin(usb, '1111');
    expect(statusOf(await enterPin(usb, '1234'))).toBe(DeviceErrorCode.OK);
    expect((await usb.info()).pinAttemptsRemain).toBe(3);
  });

  it('changing the PIN with a wrong old PIN costs a try like EnterPin', async () => {
    await activated({ pinMaxTries: 3 });
    await setPin(usb, '1234');
    const wrong = await setPin(usb, '5678', '0000');
    expect([statusOf(wrong), attemptsOf(wrong)]).toEqual([DeviceErrorCode.ERR_PIN_WRONG, 2]);
    expect(statusOf(await enterPin(usb, '5678'))).toBe(DeviceErrorCode.ERR_PIN_WRONG);
  });

  it('suspension with a new code ends a PIN lockout; after the code the user sets a new PIN', async () => {
    await activated({ pinMaxTries: 3 });
    await setPin(usb, '1234');
    for (const pin of ['0000', '1111', '2222']) await enterPin(usb, pin);
    expect((await usb.info()).lockedByPin).toBe(true);

    const suspended = infoOf(await server.lockDeviceCode(usb, '765432', 3));
    expect(suspended).toMatchObject({
      lockedByCode: true,
      lockedByPin: false,
      canUnlock: true,
      codeLockReason: CodeLockReason.Suspension,
      pinAttemptsRemain: 3,
    });
    expect(statusOf(await enterPin(usb, '1234'))).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);

    expect(
      statusOf(await usb.request({ command: Command.UnlockWithCode, code: ascii('765432') })),
    ).toBe(DeviceErrorCode.OK);
    const unlocked = await usb.info();
    expect(unlocked.access).toMatchObject({ locked: false, newPinRequired: true });
    // The old PIN is gone: it cannot be entered, a new one is set.
    expect(statusOf(await enterPin(usb, '1234'))).toBe(DeviceErrorCode.ERR_PIN_NOT_SET);
    expect(statusOf(await setPin(usb, '4321'))).toBe(DeviceErrorCode.OK);
    expect((await usb.info()).access).toMatchObject({
      newPinRequired: false,
      pinRequired: false,
      locked: false,
    });
  });

  it('button and master key requirements follow the profile and clear when met', async () => {
    await activated({ pinConnect: false, buttonConnect: true, masterKeyConnect: true });
    expect((await usb.info()).access).toMatchObject({
      buttonRequired: true,
      masterKeyRequired: true,
      pinRequired: false,
    });
    expect(statusOf(await server.checkPassphrase(usb))).toBe(DeviceErrorCode.OK);
    const waiting = usb.request({ command: Command.WaitButton, timeoutMs: 60_000 });
    await usb.next(0x3b); // a keepalive: the key is waiting
    key.pressButton();
    expect(statusOf(await waiting)).toBe(DeviceErrorCode.OK);
    expect((await usb.info()).access).toMatchObject({
      buttonRequired: false,
      masterKeyRequired: false,
    });
  });
});

describe('PIN hashes', () => {
  it('the state keeps only salted hashes of the PIN, code and master key', async () => {
    const { key, usb, server, cleanup } = await pluggedKey();
    try {
      await server.link(usb, '123456');
      await usb.request({ command: Command.UnlockWithCode, code: ascii('123456') });
      await server.access(usb);
      await setPin(usb, '1234');
      const text = JSON.stringify(key.state);
      expect(text).not.toContain('123456');
      expect(text).not.toContain(Buffer.from(server.masterKey).toString('base64'));
      expect(key.state.pin.hash?.cost).toBe(TEST_HASH_COST);
    } finally {
      await cleanup();
    }
  });
});

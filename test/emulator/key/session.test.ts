// What the key remembers only while powered: a PIN entered on this connection
// holds until the profile's PIN expiration, then the key asks again.
import { afterEach, describe, expect, it } from 'vitest';
import { Command } from '../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { VirtualKey } from '../../../emulator/key/virtual-key';
import { ascii, keyFolder, statusOf, TEST_HASH_COST, TestServer, UsbHost } from './key-hosts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('key session', () => {
  it('the PIN is asked again once the profile’s PIN expiration has passed', async () => {
    const folder = await keyFolder(1);
    const clock = { now: 1_000_000 };
    const key = await VirtualKey.open(folder.pathOf(folder.records[0]!), {
      hashCost: TEST_HASH_COST,
      now: () => clock.now,
    });
    cleanups.push(async () => {
      key.unplug();
      await folder.cleanup();
    });
    const usb = new UsbHost(key.hid);
    await usb.init();
    const server = new TestServer(folder.records[0]!);
    await server.link(usb, '123456');
    await usb.request({ command: Command.UnlockWithCode, code: ascii('123456') });
    await server.access(usb, { pinExpirationSeconds: 60 });
    await usb.request({ command: Command.SetPin, newPin: ascii('1234') });
    expect((await usb.info()).access.pinRequired).toBe(false);

    clock.now += 59_000;
    expect((await usb.info()).access.pinRequired).toBe(false);
    clock.now += 1_000;
    expect((await usb.info()).access.pinRequired).toBe(true);
    expect(statusOf(await usb.request({ command: Command.EnterPin, pin: ascii('1234') }))).toBe(
      DeviceErrorCode.OK,
    );
    expect((await usb.info()).access.pinRequired).toBe(false);
  });

  it('battery changes are persisted, reported as events, and validated', async () => {
    const folder = await keyFolder(1);
    const key = await VirtualKey.open(folder.pathOf(folder.records[0]!));
    cleanups.push(async () => {
      key.unplug();
      await folder.cleanup();
    });
    await key.setBattery(7);
    expect(key.info().battery).toBe(7);
    await expect(key.setBattery(101)).rejects.toThrow(RangeError);
    key.unplug();
    expect(() => key.info()).toThrow(/unplugged/);
    await key.plug();
    expect(key.info().battery).toBe(7);
  });
});

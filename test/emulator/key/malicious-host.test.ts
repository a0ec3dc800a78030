// A buggy or malicious host must not get more guesses than the server allowed:
// the key stores a wrong code's attempt before it answers, runs one request at a
// time across all its links, and a power cut never returns a paid attempt. And the
// honest user is not robbed: a right code in flight when the link drops either
// unlocks the key or costs nothing.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CtapHidCommand, CtapHidError } from '../../../device/protocol/ctaphid';
import { Command, type Response } from '../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { VirtualKey } from '../../../emulator/key/virtual-key';
import type { KeyState } from '../../../emulator/key/key-state';
import {
  ascii,
  BleHost,
  keyFolder,
  statusOf,
  TEST_HASH_COST,
  TestServer,
  UsbHost,
} from './key-hosts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function linkedKey(
  options: { onCommit?: (state: KeyState) => void; hashCost?: number } = {},
) {
  const folder = await keyFolder(1);
  const record = folder.records[0]!;
  const path = folder.pathOf(record);
  const key = await VirtualKey.open(path, { hashCost: TEST_HASH_COST, ...options });
  cleanups.push(async () => {
    key.unplug();
    await folder.cleanup();
  });
  const server = new TestServer(record);
  const usb = new UsbHost(key.hid);
  await usb.init();
  await server.link(usb, '123456', 3);
  return { key, server, usb, path };
}

const attemptsOnDisk = (path: string): number =>
  (JSON.parse(readFileSync(path, 'utf8')) as { codeLock: { attemptsRemain: number } }).codeLock
    .attemptsRemain;

describe('a host that tries to get extra guesses', () => {
  it('a wrong code is counted on disk before the key answers', async () => {
    const { usb, path } = await linkedKey();
    const seenOnDisk: number[] = [];
    usb.device.on('data', (report: Buffer) => {
      // The response report: by the time it is on the wire, the decrement is on disk.
      if (report[4] === (0x80 | CtapHidCommand.HideezMessage))
        seenOnDisk.push(attemptsOnDisk(path));
    });
    await usb.request({ command: Command.UnlockWithCode, code: ascii('000000') });
    await usb.request({ command: Command.UnlockWithCode, code: ascii('000001') });
    expect(seenOnDisk).toEqual([2, 1]);
  });

  it('hammering wrong codes in parallel over two USB channels and BLE gets three guesses in all', async () => {
    const { key, usb } = await linkedKey();
    const usb2 = new UsbHost(key.hid);
    await usb2.init();
    const ble = new BleHost(key.ble);
    await ble.connect(185);

    const answers: Response[] = [];
    const busy: number[] = [];
    const hammer = async (host: UsbHost | BleHost, tag: number): Promise<void> => {
      for (let i = 0; i < 6; i++) {
        try {
          answers.push(
            await host.request({ command: Command.UnlockWithCode, code: ascii(`${tag}0000${i}`) }),
          );
        } catch {
          busy.push(tag); // CTAPHID CHANNEL_BUSY: the key is working for another channel
        }
      }
    };
    await Promise.all([hammer(usb, 1), hammer(usb2, 2), hammer(ble, 3)]);

    const wrong = answers.filter((a) => a.status === DeviceErrorCode.ERR_PIN_WRONG);
    expect(wrong.length).toBeLessThanOrEqual(2);
    expect(answers.some((a) => a.status === DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE)).toBe(true);
    expect(key.info()).toMatchObject({
      lockedByCode: true,
      canUnlock: false,
      unlockAttemptsRemain: 0,
    });
    expect(
      statusOf(await usb.request({ command: Command.UnlockWithCode, code: ascii('123456') })),
    ).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
  });

  it('requests racing on the firmware itself are serialised: exactly three codes are ever checked', async () => {
    const { key } = await linkedKey();
    const guesses = Array.from({ length: 20 }, (_, i) =>
      key.firmware.handle({
        command: Command.UnlockWithCode,
        code: ascii(`9${String(i).padStart(5, '0')}`),
      }),
    );
    const right = key.firmware.handle({ command: Command.UnlockWithCode, code: ascii('123456') });
    const statuses = (await Promise.all([...guesses, right])).map((r) => r.status);
    expect(statuses.filter((s) => s === DeviceErrorCode.ERR_PIN_WRONG)).toHaveLength(2);
    expect(statuses.filter((s) => s === DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE)).toHaveLength(
      19,
    );
    expect(statuses.at(-1)).toBe(DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE);
  });

  it('a second channel gets CHANNEL_BUSY while the key works for the first, and nothing runs for it', async () => {
    const { key, usb, server } = await linkedKey();
    await usb.request({ command: Command.UnlockWithCode, code: ascii('123456') });
    await server.access(usb, { pinMaxTries: 3 });
    await usb.request({ command: Command.SetPin, newPin: ascii('1234') });
    const usb2 = new UsbHost(key.hid);
    await usb2.init();
    const waiting = usb.request({ command: Command.WaitButton, timeoutMs: 60_000 });
    await usb.next(CtapHidCommand.Keepalive);
    await usb2.send({ command: Command.EnterPin, pin: ascii('0000') });
    const error = await usb2.next(CtapHidCommand.Error);
    expect(error.payload[0]).toBe(CtapHidError.ChannelBusy);
    key.pressButton();
    expect(statusOf(await waiting)).toBe(DeviceErrorCode.OK);
    expect(key.info().pinAttemptsRemain).toBe(3);
  });

  it('cutting power right after each wrong guess is stored still costs every guess', async () => {
    const power = { cut: false, key: undefined as VirtualKey | undefined };
    const linked = await linkedKey({
      onCommit: (state) => {
        // The attempt has just reached the disk: pull the plug before the key answers.
        if (power.cut && state.codeLock !== null) power.key?.unplug();
      },
    });
    const key = linked.key;
    power.key = key;
    power.cut = true;
    for (let round = 0; round < 3; round++) {
      const usb = new UsbHost(key.hid);
      await usb.init();
      const answered = usb.request({ command: Command.UnlockWithCode, code: ascii('000000') });
      await new Promise<void>((resolve) => usb.device.once('error', () => resolve()));
      expect(key.plugged).toBe(false);
      void answered.catch(() => undefined);
      await key.plug();
    }
    power.cut = false;
    // Three wrong codes, each answer lost to a power cut, used up every attempt.
    expect(key.info()).toMatchObject({
      lockedByCode: true,
      canUnlock: false,
      unlockAttemptsRemain: 0,
    });
    expect(attemptsOnDisk(linked.path)).toBe(0);
  });

  it('a host that unplugs the key right after sending never leaves it half-written', async () => {
    const { key, usb, path } = await linkedKey();
    for (let round = 0; round < 5; round++) {
      const host = round === 0 ? usb : new UsbHost(key.hid);
      if (round > 0) await host.init();
      await host.send({ command: Command.UnlockWithCode, code: ascii('000000') });
      key.unplug();
      // Whatever happened, the file is a complete, valid state.
      await key.plug();
      expect([3, 2, 1, 0]).toContain(key.info().unlockAttemptsRemain);
      expect(attemptsOnDisk(path)).toBe(key.info().unlockAttemptsRemain);
    }
  });
});

describe('a right code in flight when the link drops', () => {
  /** Where in the exchange the plug is pulled. */
  const POINTS = [
    'request on the wire',
    'key checking it',
    'outcome on disk',
    'answer sent',
  ] as const;
  type Point = (typeof POINTS)[number];

  async function dropAt(point: Point): Promise<ReturnType<VirtualKey['info']>> {
    const power = { armed: false, key: undefined as VirtualKey | undefined };
    // A real scrypt cost, so that the check takes long enough to be cut in.
    const linked = await linkedKey({
      hashCost: 1 << 14,
      onCommit: () => {
        if (power.armed && point === 'outcome on disk') power.key?.unplug();
      },
    });
    const { key, usb } = linked;
    power.key = key;
    power.armed = true;
    const answered = usb.request({ command: Command.UnlockWithCode, code: ascii('123456') });
    void answered.catch(() => undefined);
    if (point === 'request on the wire') {
      key.unplug();
    } else if (point === 'key checking it') {
      let answeredYet = false;
      void answered.then(
        () => (answeredYet = true),
        () => undefined,
      );
      while (!key.firmware.busy) await new Promise((r) => setImmediate(r));
      // Inside the scrypt check (tens of ms at this cost), well past the request's arrival.
      await new Promise((r) => setTimeout(r, 15));
      expect(answeredYet).toBe(false);
      key.unplug();
    } else if (point === 'outcome on disk') {
      await new Promise<void>((resolve) => usb.device.once('error', () => resolve()));
    } else {
      expect(statusOf(await answered)).toBe(DeviceErrorCode.OK);
      key.unplug();
    }
    expect(key.plugged).toBe(false);
    await key.plug();
    const info = key.info();
    // What the replugged key reports is what its file holds.
    const onDisk = (JSON.parse(readFileSync(linked.path, 'utf8')) as KeyState).codeLock;
    expect(onDisk === null ? null : onDisk.attemptsRemain).toBe(
      info.lockedByCode ? info.unlockAttemptsRemain : null,
    );
    return info;
  }

  it.each(POINTS)('at "%s": the key is unlocked, or still has all its attempts', async (point) => {
    const info = await dropAt(point);
    if (info.lockedByCode) {
      expect(info.unlockAttemptsRemain).toBe(3);
      expect(point === 'outcome on disk' || point === 'answer sent').toBe(false);
    } else {
      expect(info.access.locked).toBe(false);
      expect(point === 'request on the wire' || point === 'key checking it').toBe(false);
    }
  });
});

// The open-protocol driver sends the bytes its check encoded, but only for the operation it
// checked: the device manager checks every operation before queueing it, so checks and
// performs interleave when jobs wait (a check of B before A runs), and each must still send
// its own request. Over the real HID transport and a virtual key; the cable's tap reads the
// command byte of each request sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyConnection } from '../../../device/key/key-connection';
import { KeyOp, type KeyOperation } from '../../../device/key/key-operations';
import { identify } from '../../../device/open-protocol/open-discovery';
import { CtapHidCommand } from '../../../device/protocol/ctaphid';
import { Command } from '../../../device/protocol/messages';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { initCommand, TappedUsbBus, virtualKeys } from '../manager/virtual-usb';

const OPTS = { timeoutMs: 2_000 };
const READ: KeyOperation = { op: KeyOp.ReadInfo };
const UNLOCK: KeyOperation = { op: KeyOp.UnlockWithCode, code: new Uint8Array(6).fill(0x30) };

describe('open-protocol driver: checked requests', () => {
  let key: VirtualKey;
  let connection: KeyConnection;
  let cleanup: () => Promise<void>;
  /** The Hideez command byte of each request message sent (CTAPHID init packets only). */
  let sent: number[];

  beforeEach(async () => {
    const folder = await virtualKeys(1);
    cleanup = folder.cleanup;
    key = folder.keys[0]!;
    const bus = new TappedUsbBus(folder.keys);
    connection = await identify(await bus.open(bus.descriptor(key)), { infoTimeoutMs: 2_000 });
    sent = [];
    bus.cable(key).taps = {
      write: (report) => {
        // An init packet: cid (4) | cmd (1) | length (2) | the message, its command first.
        if (initCommand(report) === CtapHidCommand.HideezMessage) sent.push(report[7] ?? -1);
      },
    };
  });

  afterEach(async () => {
    await connection.close();
    await cleanup();
  });

  it('the operation just checked goes out as checked', async () => {
    connection.check(READ);
    const answer = await connection.perform(READ, OPTS);
    expect(answer).toMatchObject({ op: KeyOp.ReadInfo, status: DeviceErrorCode.OK });
    expect(sent).toEqual([Command.GetInfo]);
  });

  it('an operation checked before another one ran is sent as its own request', async () => {
    connection.check(UNLOCK);
    connection.check(READ);
    const unlock = await connection.perform(UNLOCK, OPTS);
    expect(unlock.op).toBe(KeyOp.UnlockWithCode);
    expect('info' in unlock).toBe(false);
    // The check of READ was used up by nothing: READ is encoded afresh, and so is a repeat.
    const read = await connection.perform(READ, OPTS);
    expect(read).toMatchObject({ op: KeyOp.ReadInfo, status: DeviceErrorCode.OK });
    const again = await connection.perform(UNLOCK, OPTS);
    expect(again.op).toBe(KeyOp.UnlockWithCode);
    expect(sent).toEqual([Command.UnlockWithCode, Command.GetInfo, Command.UnlockWithCode]);
  });
});

// A key that stops answering, and a key (or a cable) that sends garbage: typed
// errors (Timeout, Protocol), never a crash or a hang, and the next job runs.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceErrorKind, isDeviceError } from '../../../device/errors/device-error';
import type { DeviceManager } from '../../../device/manager/device-manager';
import { KeyOp } from '../../../device/key/key-operations';
import { CtapHidCommand } from '../../../device/protocol/ctaphid';

import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { connected, getInfo, startManager, waitButton } from '../manager/manager-harness';
import { type TappedCable, TappedUsbBus, initCommand, virtualKeys } from '../manager/virtual-usb';

/** One turn of the event loop: reports already sent are delivered (no timing involved). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('a key that stops answering or sends garbage', () => {
  let keys: VirtualKey[];
  let serials: string[];
  let bus: TappedUsbBus;
  let manager: DeviceManager;
  let cleanup: () => Promise<void>;
  let cable: TappedCable;

  beforeEach(async () => {
    ({ keys, cleanup } = await virtualKeys(2));
    serials = keys.map((k) => k.serialNo);
    bus = new TappedUsbBus(keys);
    manager = startManager([bus.discovery]);
    await Promise.all(serials.map((s) => connected(manager, s)));
    await bus.hotPlugReady();
    cable = bus.cable(keys[0]!);
  });

  afterEach(async () => {
    await manager.stop();
    await cleanup();
  });

  it('a key that stops answering times out; the queue moves on and the key answers again', async () => {
    let silent = true;
    cable.taps = {
      // Everything from the key is lost until the host gives up and sends CANCEL.
      read: (report) => (silent ? undefined : report),
      write: (report) => {
        if (initCommand(report) === CtapHidCommand.Cancel) silent = false;
      },
    };
    const stalled = manager.request(serials[0]!, { op: KeyOp.ReadInfo }, { timeoutMs: 150 });
    const next = getInfo(manager, serials[0]!);
    await expect(stalled).rejects.toMatchObject({ code: DeviceErrorKind.Timeout });
    await expect(next).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(manager.key(serials[0]!)?.state).toBe('connected');
  });

  it('a garbled answer is a Protocol error; the next request works', async () => {
    let garbled = false;
    cable.taps = {
      read: (report) => {
        if (garbled || initCommand(report) !== CtapHidCommand.HideezMessage) return report;
        garbled = true;
        const out = report.slice();
        out[4] = 0x05; // a continuation (seq 5) where the answer should start
        return out;
      },
    };
    await expect(getInfo(manager, serials[0]!)).rejects.toSatisfy(
      (e) =>
        isDeviceError(e, DeviceErrorKind.Protocol) || isDeviceError(e, DeviceErrorKind.Timeout),
    );
    await expect(getInfo(manager, serials[0]!)).resolves.toMatchObject({
      status: DeviceErrorCode.OK,
    });
  });

  it('property: random reports on the cable, idle or mid-exchange, give an answer or a typed error, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        async (garbage, onOurChannel, midExchange) => {
          const inject = (): void => {
            for (const report of garbage) {
              const out = new Uint8Array(64);
              out.set(report);
              if (onOurChannel) out.set(ourChannel(keys[0]!), 0);
              cable.inject(out);
            }
          };
          if (!midExchange) {
            inject();
            await nextTurn(); // delivered while idle
          }
          cable.taps = midExchange
            ? {
                write: (report) => {
                  if (initCommand(report) === CtapHidCommand.HideezMessage) inject();
                },
              }
            : {};
          const outcome = await manager
            .request(serials[0]!, { op: KeyOp.ReadInfo }, { timeoutMs: 300 })
            .then(
              (r) => r.status === DeviceErrorCode.OK,
              (e: unknown) =>
                isDeviceError(e, DeviceErrorKind.Protocol) ||
                isDeviceError(e, DeviceErrorKind.Timeout) ||
                isDeviceError(e, DeviceErrorKind.LinkError) ||
                isDeviceError(e, DeviceErrorKind.Busy),
            );
          cable.taps = {};
          await nextTurn();
          expect(outcome).toBe(true);
          await expect(getInfo(manager, serials[0]!)).resolves.toMatchObject({
            status: DeviceErrorCode.OK,
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('two keys at once: unplugging one mid-job leaves the other one working', async () => {
    const first = waitButton(manager, serials[0]!);
    const second = waitButton(manager, serials[1]!);
    await Promise.all([first.waiting, second.waiting]);
    bus.unplug(keys[0]!);
    await expect(first.answer).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
    keys[1]!.pressButton();
    await expect(second.answer).resolves.toMatchObject({ status: DeviceErrorCode.OK });
    expect(manager.key(serials[1]!)?.state).toBe('connected');
  });
});

/** The 4 CID bytes of the channel the manager's transport holds (the key allocated it last). */
function ourChannel(key: VirtualKey): Uint8Array {
  const cid = key.hid.allocatedChannels.at(-1) ?? 0;
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, cid);
  return out;
}

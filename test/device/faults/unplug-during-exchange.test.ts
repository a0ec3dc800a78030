// Pulling the plug at each step of an exchange: the job ends with
// DeviceError Disconnected, nothing stays stuck, and the key works again once
// it is back. The cable taps act on exact reports, never on time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceErrorKind } from '../../../device/errors/device-error';
import type { DeviceManager } from '../../../device/manager/device-manager';
import { CtapHidCommand } from '../../../device/protocol/ctaphid';
import { KeyOp, type KeyOperation } from '../../../device/key/key-operations';
import type { VirtualKey } from '../../../emulator/key/virtual-key';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { OPTS, connected, getInfo, gone, startManager } from '../manager/manager-harness';
import { type CableTaps, TappedUsbBus, initCommand, virtualKeys } from '../manager/virtual-usb';

interface Step {
  readonly name: string;
  readonly request: KeyOperation;
  /** Taps that unplug the key at this step; `unplug` pulls the power. */
  readonly taps: (unplug: () => void) => CableTaps;
}

const STEPS: readonly Step[] = [
  {
    name: 'before the request is written',
    request: { op: KeyOp.ReadInfo },
    taps: (unplug) => ({
      write: (report) => {
        if (initCommand(report) === CtapHidCommand.HideezMessage) unplug();
      },
    }),
  },
  {
    name: 'in the middle of writing the request',
    // A sealed buffer long enough for several reports (the key would refuse the seal).
    request: {
      op: KeyOp.ServerChannel,
      channel: 4,
      request: { kind: 'message', data: new Uint8Array(400).fill(7) },
    },
    taps: (unplug) => ({
      write: (report) => {
        if (initCommand(report) === undefined) unplug(); // the first continuation report
      },
    }),
  },
  {
    name: 'while the key works on it (waiting for its button)',
    request: { op: KeyOp.WaitButton, timeoutMs: 60_000 },
    taps: (unplug) => ({
      read: (report) => {
        if (initCommand(report) !== CtapHidCommand.Keepalive) return report;
        unplug();
        return undefined;
      },
    }),
  },
  {
    name: 'in the middle of the response',
    request: { op: KeyOp.ReadInfo },
    taps: (unplug) => {
      let answering = false;
      return {
        read: (report) => {
          if (initCommand(report) === CtapHidCommand.HideezMessage) answering = true;
          else if (answering) {
            unplug(); // after the first report of the answer, before the rest
            return undefined;
          }
          return report;
        },
      };
    },
  },
];

describe('unplugging the key during an exchange', () => {
  let key: VirtualKey;
  let serialNo: string;
  let bus: TappedUsbBus;
  let manager: DeviceManager;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const folder = await virtualKeys(1);
    cleanup = folder.cleanup;
    key = folder.keys[0]!;
    serialNo = key.serialNo;
    bus = new TappedUsbBus(folder.keys);
    manager = startManager([bus.discovery]);
    await connected(manager, serialNo);
    await bus.hotPlugReady();
  });

  afterEach(async () => {
    await manager.stop();
    await cleanup();
  });

  for (const step of STEPS) {
    it(`${step.name}: Disconnected, then the replugged key works again`, async () => {
      let unplugged = false;
      bus.cable(key).taps = step.taps(() => {
        if (unplugged) return;
        unplugged = true;
        bus.unplug(key);
      });
      const job = manager.request(serialNo, step.request, OPTS);
      const queued = getInfo(manager, serialNo); // waits behind it: must not hang either
      await expect(job).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
      await expect(queued).rejects.toMatchObject({ code: DeviceErrorKind.Disconnected });
      expect(unplugged).toBe(true);
      await gone(manager, serialNo);

      await bus.plug(key);
      await connected(manager, serialNo);
      await expect(getInfo(manager, serialNo)).resolves.toMatchObject({
        status: DeviceErrorCode.OK,
      });
    });
  }

  it('a request to a key that is gone fails at once with KeyNotFound, not a hang', async () => {
    bus.unplug(key);
    await gone(manager, serialNo);
    await expect(getInfo(manager, serialNo)).rejects.toMatchObject({
      code: 'DEVICE_KEY_NOT_FOUND',
    });
  });
});

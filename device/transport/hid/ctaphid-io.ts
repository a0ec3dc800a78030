// CTAPHID over one open HID device: frames out as 64-byte reports behind
// node-hid's report-ID byte, reports in reassembled into frames. The device is
// shared with other host applications (every reader of a hidraw node sees every
// input report), so only our channel and the broadcast channel are read; the
// rest belongs to other clients and is ignored.
import {
  CTAPHID_BROADCAST_CID,
  CtapHidReassembler,
  encodeReports,
  type CtapHidFrame,
} from '../../protocol/ctaphid';
import {
  isProtocolError,
  type ProtocolError,
  ProtocolErrorCode,
  protocolError,
} from '../../protocol/protocol-error';
import type { HidDeviceLike } from './hid-device-like';

/** node-hid writes the report ID first; our key has no numbered reports. */
const REPORT_ID = 0x00;

export interface CtapHidIoHandlers {
  frame(frame: CtapHidFrame): void;
  /** A report on a channel we read that breaks CTAPHID framing. */
  garbage(error: ProtocolError, cid: number | undefined): void;
  /** The device reported a read failure: it is gone (node-hid emits 'error' on unplug). */
  gone(error: Error): void;
}

export class CtapHidIo {
  /** Our allocated channel; the broadcast channel until INIT has given us one. */
  #cid = CTAPHID_BROADCAST_CID;
  readonly #reassemblers = new Map<number, CtapHidReassembler>();
  /** Writes are chained so a CANCEL never lands between the reports of a message. */
  #writes: Promise<void> = Promise.resolve();
  #attached = true;

  readonly #onData = (data: Buffer): void => this.#receive(data);
  readonly #onError = (error: Error): void => {
    if (this.#attached) this.handlers.gone(error);
  };

  constructor(
    readonly device: HidDeviceLike,
    private readonly handlers: CtapHidIoHandlers,
  ) {
    device.on('data', this.#onData);
    device.on('error', this.#onError);
  }

  get cid(): number {
    return this.#cid;
  }

  set cid(cid: number) {
    this.#cid = cid;
    this.#reassemblers.clear();
  }

  /** Forgets half-received messages: at the start of an exchange they can only be stale garbage. */
  resetReassembly(): void {
    this.#reassemblers.clear();
  }

  /** Sends a frame; rejects with node-hid's error if the device refuses the write. */
  writeFrame(frame: CtapHidFrame): Promise<void> {
    const reports = encodeReports(frame);
    const run = this.#writes.then(async () => {
      for (const report of reports) {
        const out = Buffer.alloc(report.length + 1);
        out[0] = REPORT_ID;
        out.set(report, 1);
        await this.device.write(out);
      }
    });
    // The chain itself never rejects, so one failed write does not fail the next.
    this.#writes = run.catch(() => undefined);
    return run;
  }

  /** Stops listening; the device is left to the caller to close. */
  detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    this.device.off('data', this.#onData);
    this.device.off('error', this.#onError);
    // node-hid's HIDAsync emits 'error' from its read loop with no listener
    // guard: keep a sink so a late read failure is not an uncaught exception.
    this.device.on('error', ignore);
  }

  #receive(data: Buffer): void {
    if (!this.#attached) return;
    const report = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (report.length < 4) {
      this.handlers.garbage(
        protocolError(ProtocolErrorCode.Truncated, 'HID report is shorter than a channel id', {
          length: report.length,
        }),
        undefined,
      );
      return;
    }
    const cid = new DataView(report.buffer, report.byteOffset, 4).getUint32(0);
    if (cid !== this.#cid && cid !== CTAPHID_BROADCAST_CID) return;
    let reassembler = this.#reassemblers.get(cid);
    if (!reassembler) {
      reassembler = new CtapHidReassembler();
      this.#reassemblers.set(cid, reassembler);
    }
    let frame: CtapHidFrame | undefined;
    try {
      frame = reassembler.push(report);
    } catch (e) {
      this.handlers.garbage(
        isProtocolError(e)
          ? e
          : protocolError(ProtocolErrorCode.BadField, 'unreadable HID report', {
              length: report.length,
            }),
        cid,
      );
      return;
    }
    if (frame) this.handlers.frame(frame);
  }
}

const ignore = (): void => undefined;

// The virtual key's USB side: a node-hid HIDAsync look-alike speaking CTAPHID
// (docs/protocol.md §2). Hosts allocate a channel with INIT on the broadcast
// channel, then send HideezMessage requests; the key answers on that channel,
// sends KEEPALIVE every 100 ms while working, ERROR frames for malformed or
// unexpected reports, and HideezEvent frames on every allocated channel.
import { EventEmitter } from 'node:events';
import {
  CTAPHID_BROADCAST_CID,
  CTAPHID_PROTOCOL_VERSION,
  CtapHidCapability,
  CtapHidCommand,
  CtapHidError,
  CtapHidReassembler,
  ctapHidErrorFor,
  decodeInitRequest,
  encodeInitResponse,
  encodeReports,
  errorFrame,
  HID_REPORT_SIZE,
  keepaliveFrame,
  type CtapHidFrame,
} from '../../device/protocol/ctaphid';
import { encodeEvent } from '../../device/protocol/message-codec';
import { isProtocolError } from '../../device/protocol/protocol-error';
import type { KeyFirmware } from './firmware';
import { REASSEMBLY_TIMEOUT_MS, startKeepalive } from './keepalive';
import { exchangeMessage } from './message-exchange';

import {
  HIDEEZ_HID_USAGE,
  HIDEEZ_HID_USAGE_PAGE,
  HIDEEZ_USB_PRODUCT_ID,
  HIDEEZ_USB_VENDOR_ID,
} from '../../device/protocol/usb-ids';

// Re-exported for existing importers; the ids live with the protocol now.
export {
  HIDEEZ_HID_USAGE,
  HIDEEZ_HID_USAGE_PAGE,
  HIDEEZ_USB_PRODUCT_ID,
  HIDEEZ_USB_VENDOR_ID,
} from '../../device/protocol/usb-ids';

/** A node-hid `devices()` row. */
export interface HidDeviceRow {
  readonly vendorId: number;
  readonly productId: number;
  readonly path: string;
  readonly serialNumber: string;
  readonly manufacturer: string;
  readonly product: string;
  readonly release: number;
  readonly interface: number;
  readonly usagePage: number;
  readonly usage: number;
}

interface Transaction {
  readonly cid: number;
  readonly abort: AbortController;
  /** Set when INIT resynchronises the channel: the answer is no longer wanted. */
  silenced: boolean;
}

const versionParts = (v: string): [number, number, number] => {
  const [a = 0, b = 0, c = 0] = v.split('.').map((n) => Number(n) & 0xff);
  return [a, b, c];
};

export class VirtualHidDevice extends EventEmitter {
  readonly vendorId = HIDEEZ_USB_VENDOR_ID;
  readonly productId = HIDEEZ_USB_PRODUCT_ID;
  readonly usagePage = HIDEEZ_HID_USAGE_PAGE;
  readonly usage = HIDEEZ_HID_USAGE;
  readonly manufacturer = 'Hideez';
  readonly product = 'Hideez Key (virtual)';
  readonly release = 0x0100;
  readonly interface = 0;
  readonly path: string;
  readonly serialNumber: string;

  private readonly reassembler = new CtapHidReassembler();
  private readonly channels = new Set<number>();
  private nextCid = 1;
  private transaction: Transaction | undefined;
  private reassemblyTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly detachEvents: () => void;

  constructor(private readonly firmware: KeyFirmware) {
    super();
    this.serialNumber = firmware.state.provisioning.serialNo;
    this.path = `virtual-hid:${this.serialNumber}`;
    this.detachEvents = firmware.onEvent((event) => {
      const payload = encodeEvent(event);
      for (const cid of this.channels) this.send({ cid, cmd: CtapHidCommand.HideezEvent, payload });
    });
  }

  /** The row node-hid's devices() would list for this key. */
  deviceInfo(): HidDeviceRow {
    return {
      vendorId: this.vendorId,
      productId: this.productId,
      path: this.path,
      serialNumber: this.serialNumber,
      manufacturer: this.manufacturer,
      product: this.product,
      release: this.release,
      interface: this.interface,
      usagePage: this.usagePage,
      usage: this.usage,
    };
  }

  getDeviceInfo(): Promise<HidDeviceRow> {
    return Promise.resolve(this.deviceInfo());
  }

  /** Channels allocated by INIT so far (events go to all of them). */
  get allocatedChannels(): readonly number[] {
    return [...this.channels];
  }

  /**
   * Writes one output report: the 65-byte form node-hid takes (report id 0x00,
   * then 64 bytes) or a bare 64-byte report. Resolves with the bytes written.
   */
  write(data: Uint8Array | readonly number[]): Promise<number> {
    if (this.stopped)
      return Promise.reject(new Error('Cannot write to HID device: it is closed or unplugged'));
    let bytes: Uint8Array;
    if (data instanceof Uint8Array) bytes = data;
    else if (data.every((b) => Number.isInteger(b) && b >= 0 && b <= 0xff))
      bytes = Uint8Array.from(data);
    else return Promise.reject(new RangeError('HID report bytes must be integers 0..255'));

    let report: Uint8Array;
    if (bytes.length === HID_REPORT_SIZE + 1 && bytes[0] === 0) report = bytes.slice(1);
    else if (bytes.length === HID_REPORT_SIZE) report = bytes.slice();
    else {
      return Promise.reject(
        new RangeError(
          `HID output report must be 64 bytes, or 65 with report id 0 (got ${bytes.length})`,
        ),
      );
    }
    this.onReport(report);
    return Promise.resolve(bytes.length);
  }

  close(): Promise<void> {
    this.stop();
    return Promise.resolve();
  }

  /** The cable is pulled: 'error' as node-hid reports it, then silence. */
  unplug(): void {
    if (this.stopped) return;
    this.stop();
    if (this.listenerCount('error') > 0)
      this.emit('error', new Error('could not read from HID device'));
  }

  private stop(): void {
    this.stopped = true;
    this.detachEvents();
    this.transaction?.abort.abort();
    this.transaction = undefined;
    clearTimeout(this.reassemblyTimer);
    this.reassembler.reset();
  }

  // ---- CTAPHID ------------------------------------------------------------------

  private onReport(report: Uint8Array): void {
    const cid = new DataView(report.buffer, report.byteOffset, 4).getUint32(0);
    if (cid !== CTAPHID_BROADCAST_CID && !this.channels.has(cid)) {
      // Never allocated (CID 0 included): nothing to reassemble or answer on 0.
      if (cid !== 0) this.send(errorFrame(cid, CtapHidError.InvalidChannel));
      return;
    }
    let frame: CtapHidFrame | undefined;
    try {
      frame = this.reassembler.push(report);
    } catch (e) {
      if (isProtocolError(e)) this.send(errorFrame(cid, ctapHidErrorFor(e)));
      else this.send(errorFrame(cid, CtapHidError.Other));
      return;
    } finally {
      this.armReassemblyTimer();
    }
    if (frame) this.onFrame(frame);
  }

  /** A host that stops mid-message must not keep the key busy forever. */
  private armReassemblyTimer(): void {
    clearTimeout(this.reassemblyTimer);
    const busyCid = this.reassembler.busyCid;
    if (busyCid === undefined) return;
    this.reassemblyTimer = setTimeout(() => {
      this.reassembler.reset();
      this.send(errorFrame(busyCid, CtapHidError.MsgTimeout));
    }, REASSEMBLY_TIMEOUT_MS);
  }

  private onFrame(frame: CtapHidFrame): void {
    const { cid, cmd, payload } = frame;
    if (cmd === CtapHidCommand.Init) return this.init(cid, payload);
    if (cid === CTAPHID_BROADCAST_CID)
      return this.send(errorFrame(cid, CtapHidError.InvalidChannel));
    if (cmd === CtapHidCommand.Cancel) {
      // Cancels only this channel's own request; otherwise ignored, as in CTAPHID.
      if (this.transaction?.cid === cid) this.transaction.abort.abort();
      return;
    }
    if (this.transaction) return this.send(errorFrame(cid, CtapHidError.ChannelBusy));
    switch (cmd) {
      case CtapHidCommand.Ping:
        return this.send({ cid, cmd, payload });
      case CtapHidCommand.Wink:
        return this.send({ cid, cmd, payload: new Uint8Array(0) });
      case CtapHidCommand.HideezMessage:
        return this.startTransaction(cid, payload);
      default:
        // MSG, CBOR, LOCK and key->host commands: not ours to receive.
        return this.send(errorFrame(cid, CtapHidError.InvalidCmd));
    }
  }

  private init(cid: number, payload: Uint8Array): void {
    let nonce: Uint8Array;
    try {
      nonce = decodeInitRequest(payload);
    } catch {
      return this.send(errorFrame(cid, CtapHidError.InvalidLen));
    }
    let channel = cid;
    if (cid === CTAPHID_BROADCAST_CID) {
      channel = this.allocate();
    } else if (this.transaction?.cid === cid) {
      // INIT on an allocated channel resynchronises it: its request is abandoned.
      this.transaction.silenced = true;
      this.transaction.abort.abort();
    }
    const [major, minor, build] = versionParts(this.firmware.state.provisioning.firmwareVersion);
    this.send({
      cid,
      cmd: CtapHidCommand.Init,
      payload: encodeInitResponse({
        nonce,
        cid: channel,
        protocolVersion: CTAPHID_PROTOCOL_VERSION,
        versionMajor: major,
        versionMinor: minor,
        versionBuild: build,
        capabilities: CtapHidCapability.Wink | CtapHidCapability.Nmsg,
      }),
    });
  }

  private allocate(): number {
    while (
      this.nextCid === 0 ||
      this.nextCid === CTAPHID_BROADCAST_CID ||
      this.channels.has(this.nextCid)
    ) {
      this.nextCid = (this.nextCid + 1) >>> 0;
    }
    const cid = this.nextCid;
    this.channels.add(cid);
    this.nextCid = (cid + 1) >>> 0;
    return cid;
  }

  private startTransaction(cid: number, payload: Uint8Array): void {
    const tx: Transaction = { cid, abort: new AbortController(), silenced: false };
    this.transaction = tx;
    const stopKeepalive = startKeepalive(
      () => this.firmware.waitingForButton,
      (status) => this.send(keepaliveFrame(cid, status)),
    );
    void exchangeMessage(this.firmware, payload, tx.abort.signal)
      .then(
        (answer) => {
          if (!tx.silenced) this.send({ cid, cmd: CtapHidCommand.HideezMessage, payload: answer });
        },
        () => {
          // Power lost: a dead key says nothing.
        },
      )
      .finally(() => {
        stopKeepalive();
        if (this.transaction === tx) this.transaction = undefined;
      });
  }

  /** Input reports go out in order, asynchronously, as from a real device. */
  private send(frame: CtapHidFrame): void {
    if (this.stopped) return;
    const reports = encodeReports(frame);
    setImmediate(() => {
      if (this.stopped) return;
      for (const report of reports) this.emit('data', Buffer.from(report));
    });
  }
}

// Test peers for the virtual key, speaking the real wire protocol through the
// device/protocol codecs: a USB host (CTAPHID over VirtualHidDevice), a BLE host
// (fragments over VirtualBlePeripheral), and the server (sealing RemoteOps with
// the provisioning secret). Waits are event-driven; nothing here measures time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import {
  BleCommand,
  BleReassembler,
  encodeFragments,
  type BleFrame,
} from '../../../device/protocol/ble-fragments';
import {
  CTAPHID_BROADCAST_CID,
  CtapHidCommand,
  CtapHidReassembler,
  decodeInitResponse,
  encodeInitRequest,
  encodeReports,
  type CtapHidFrame,
} from '../../../device/protocol/ctaphid';
import { decodeControlPointLength } from '../../../device/protocol/gatt';
import { decodeEvent, decodeResponse, encodeRequest } from '../../../device/protocol/message-codec';
import {
  Command,
  type Event,
  type Request,
  type Response,
} from '../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import type { KeyInfo } from '../../../shared/key/key-info';
import type { AccessParams, RemoteOp, RemoteReply } from '../../../emulator/remote-channel/ops';
import { openReply, sealCommand } from '../../../emulator/remote-channel/seal';
import type { VirtualBlePeripheral } from '../../../emulator/key/ble-peripheral';
import type { VirtualHidDevice } from '../../../emulator/key/hid-device';
import {
  provisioningSecret,
  provisionKeys,
  type ProvisioningRecord,
} from '../../../emulator/key/provision';
import { stateFileName } from '../../../emulator/key/state-store';
import { VirtualKey } from '../../../emulator/key/virtual-key';

export const TEST_HASH_COST = 16;
export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A waitable list: take() resolves with the first item matching, now or later. */
class Inbox<T> {
  private items: T[] = [];
  private waiters: { match: (item: T) => boolean; resolve: (item: T) => void }[] = [];

  push(item: T): void {
    const waiter = this.waiters.find((w) => w.match(item));
    if (waiter) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(item);
    } else {
      this.items.push(item);
    }
  }

  take(match: (item: T) => boolean = () => true): Promise<T> {
    const index = this.items.findIndex(match);
    if (index >= 0) return Promise.resolve(this.items.splice(index, 1)[0] as T);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  has(match: (item: T) => boolean): boolean {
    return this.items.some(match);
  }

  all(): readonly T[] {
    return this.items;
  }

  clear(): void {
    this.items = [];
  }
}

/** One host application on the key's USB side, on its own CTAPHID channel. */
export class UsbHost {
  readonly frames = new Inbox<CtapHidFrame>();
  readonly errors: Error[] = [];
  private readonly reassembler = new CtapHidReassembler();
  cid = CTAPHID_BROADCAST_CID;

  constructor(readonly device: VirtualHidDevice) {
    device.on('data', (report: Buffer) => {
      const frame = this.reassembler.push(new Uint8Array(report));
      if (frame) this.frames.push(frame);
    });
    device.on('error', (e: Error) => this.errors.push(e));
  }

  /** Allocates a channel with INIT on the broadcast channel. */
  async init(): Promise<number> {
    const nonce = ascii('nonce-' + String(Math.floor(Math.random() * 90 + 10)));
    await this.writeFrame({
      cid: CTAPHID_BROADCAST_CID,
      cmd: CtapHidCommand.Init,
      payload: encodeInitRequest(nonce),
    });
    const reply = await this.frames.take(
      (f) => f.cid === CTAPHID_BROADCAST_CID && f.cmd === CtapHidCommand.Init,
    );
    const init = decodeInitResponse(reply.payload);
    expectEqualBytes(init.nonce, nonce);
    this.cid = init.cid;
    return init.cid;
  }

  /**
   * Resynchronises this host's channel with INIT on it, retrying while the key
   * says CHANNEL_BUSY (as FIDO hosts do), and forgets anything received before.
   */
  async resync(): Promise<void> {
    const nonce = Uint8Array.of(9, 8, 7, 6, 5, 4, 3, 2);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      this.frames.clear();
      await this.writeFrame({ cid: this.cid, cmd: CtapHidCommand.Init, payload: nonce });
      const reply = await this.frames.take(
        (f) =>
          f.cid === this.cid && (f.cmd === CtapHidCommand.Init || f.cmd === CtapHidCommand.Error),
      );
      if (reply.cmd === CtapHidCommand.Init) return;
    }
  }

  /** Writes a frame as node-hid would: 65-byte buffers with report id 0. */
  async writeFrame(frame: CtapHidFrame): Promise<void> {
    for (const report of encodeReports(frame)) await this.writeReport(report);
  }

  async writeReport(report: Uint8Array): Promise<void> {
    const withId = new Uint8Array(65);
    withId.set(report, 1);
    await this.device.write(withId);
  }

  /** Sends a request on this host's channel (without waiting for the answer). */
  send(request: Request): Promise<void> {
    return this.writeFrame({
      cid: this.cid,
      cmd: CtapHidCommand.HideezMessage,
      payload: encodeRequest(request),
    });
  }

  async answer(command: Command): Promise<Response> {
    const frame = await this.frames.take(
      (f) =>
        f.cid === this.cid &&
        (f.cmd === CtapHidCommand.HideezMessage || f.cmd === CtapHidCommand.Error),
    );
    if (frame.cmd === CtapHidCommand.Error)
      throw new Error(`CTAPHID error 0x${frame.payload[0]?.toString(16)}`);
    return decodeResponse(command, frame.payload);
  }

  async request(request: Request): Promise<Response> {
    await this.send(request);
    return this.answer(request.command);
  }

  async info(): Promise<KeyInfo> {
    const response = await this.request({ command: Command.GetInfo });
    if (!('info' in response)) throw new Error(`GetInfo failed: ${response.status}`);
    return response.info;
  }

  /** The next frame on this channel with the given command. */
  next(cmd: number, cid = this.cid): Promise<CtapHidFrame> {
    return this.frames.take((f) => f.cid === cid && f.cmd === cmd);
  }

  async nextEvent(match: (e: Event) => boolean = () => true): Promise<Event> {
    const frame = await this.frames.take(
      (f) =>
        f.cid === this.cid && f.cmd === CtapHidCommand.HideezEvent && match(decodeEvent(f.payload)),
    );
    return decodeEvent(frame.payload);
  }
}

/** A host on the key's Bluetooth side (GATT client). */
export class BleHost {
  readonly frames = new Inbox<BleFrame>();
  private reassembler = new BleReassembler();
  fragmentSize = 20;

  constructor(readonly peripheral: VirtualBlePeripheral) {}

  async connect(mtu = 23): Promise<number> {
    await this.peripheral.connect(mtu);
    this.fragmentSize = decodeControlPointLength(await this.peripheral.readControlPointLength());
    this.reassembler = new BleReassembler(this.fragmentSize);
    this.peripheral.subscribeStatus((fragment) => {
      const frame = this.reassembler.push(fragment);
      if (frame) this.frames.push(frame);
    });
    return this.fragmentSize;
  }

  async writeFrame(frame: BleFrame): Promise<void> {
    for (const fragment of encodeFragments(frame, this.fragmentSize)) {
      await this.peripheral.writeControlPoint(fragment);
    }
  }

  send(request: Request): Promise<void> {
    return this.writeFrame({ cmd: BleCommand.Msg, payload: encodeRequest(request) });
  }

  async answer(command: Command): Promise<Response> {
    const frame = await this.frames.take(
      (f) => f.cmd === BleCommand.Msg || f.cmd === BleCommand.Error,
    );
    if (frame.cmd === BleCommand.Error)
      throw new Error(`BLE error 0x${frame.payload[0]?.toString(16)}`);
    return decodeResponse(command, frame.payload);
  }

  async request(request: Request): Promise<Response> {
    await this.send(request);
    return this.answer(request.command);
  }

  async info(): Promise<KeyInfo> {
    const response = await this.request({ command: Command.GetInfo });
    if (!('info' in response)) throw new Error(`GetInfo failed: ${response.status}`);
    return response.info;
  }

  next(cmd: number): Promise<BleFrame> {
    return this.frames.take((f) => f.cmd === cmd);
  }
}

/** Anything that can carry a request to the key. */
export interface KeyHost {
  request(request: Request): Promise<Response>;
}

/** The test as the server: seals ops with the key's provisioning secret and a rising counter. */
export class TestServer {
  counter = 0n;
  readonly secret: Uint8Array;
  readonly masterKey = new Uint8Array(32).fill(0x5a);

  constructor(readonly record: ProvisioningRecord) {
    this.secret = provisioningSecret(record);
  }

  seal(op: RemoteOp): { counter: bigint; sealed: Uint8Array } {
    this.counter += 1n;
    return { counter: this.counter, sealed: sealCommand(this.secret, this.counter, op) };
  }

  /** Sends one sealed op through a host and opens the sealed reply. */
  async run(host: KeyHost, op: RemoteOp): Promise<RemoteReply> {
    const { counter, sealed } = this.seal(op);
    return this.relay(host, counter, sealed);
  }

  async relay(host: KeyHost, counter: bigint, sealed: Uint8Array): Promise<RemoteReply> {
    const response = await host.request({ command: Command.RemoteCommand, channel: 4, sealed });
    if (!('sealed' in response))
      throw new Error(`remote command refused in plain: ${response.status}`);
    return openReply(this.secret, counter, response.sealed);
  }

  link(host: KeyHost, code: string, attempts = 3): Promise<RemoteReply> {
    return this.run(host, { op: 2, masterKey: this.masterKey, code: ascii(code), attempts });
  }

  lockDeviceCode(host: KeyHost, code: string, attempts = 3): Promise<RemoteReply> {
    return this.run(host, { op: 3, masterKey: this.masterKey, code: ascii(code), attempts });
  }

  access(host: KeyHost, profile: Partial<AccessParams> = {}): Promise<RemoteReply> {
    return this.run(host, {
      op: 4,
      time: 1_700_000_000,
      masterKey: this.masterKey,
      profile: { ...DEFAULT_PROFILE, ...profile },
    });
  }

  wipe(host: KeyHost, masterKey = this.masterKey): Promise<RemoteReply> {
    return this.run(host, { op: 5, masterKey });
  }

  checkPassphrase(host: KeyHost, masterKey = this.masterKey): Promise<RemoteReply> {
    return this.run(host, { op: 6, masterKey });
  }

  getState(host: KeyHost): Promise<RemoteReply> {
    return this.run(host, { op: 1 });
  }
}

/** The HES seeded default profile (hes-contract.md §1.4), with a PIN on connect. */
export const DEFAULT_PROFILE: AccessParams = {
  masterKeyBond: true,
  masterKeyConnect: false,
  masterKeyChannel: false,
  buttonBond: true,
  buttonConnect: false,
  buttonChannel: false,
  pinBond: false,
  pinConnect: true,
  pinChannel: false,
  pinMinLength: 4,
  pinMaxTries: 10,
  pinExpirationSeconds: 86_400,
  buttonExpirationSeconds: 0,
  masterKeyExpirationSeconds: 0,
};

export function expectEqualBytes(a: Uint8Array, b: Uint8Array): void {
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) throw new Error('bytes differ');
}

export const statusOf = (r: Response | RemoteReply): number => r.status;
export const attemptsOf = (r: Response): number | undefined =>
  'attemptsRemain' in r ? r.attemptsRemain : undefined;
export const infoOf = (r: RemoteReply): KeyInfo => {
  if (r.status !== DeviceErrorCode.OK || !('info' in r))
    throw new Error(`remote op failed: ${r.status}`);
  return r.info;
};

/** A fresh folder with `count` provisioned keys; call cleanup() after. */
export async function keyFolder(count = 1): Promise<{
  dir: string;
  records: ProvisioningRecord[];
  pathOf: (record: ProvisioningRecord) => string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'virtual-key-'));
  const records = await provisionKeys(dir, count);
  return {
    dir,
    records,
    pathOf: (record) => join(dir, stateFileName(record.serialNo)),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** One provisioned key, plugged in, with a USB host on its own channel and the server. */
export async function pluggedKey(): Promise<{
  key: VirtualKey;
  usb: UsbHost;
  server: TestServer;
  path: string;
  cleanup: () => Promise<void>;
}> {
  const folder = await keyFolder(1);
  const record = folder.records[0]!;
  const path = folder.pathOf(record);
  const key = await VirtualKey.open(path, { hashCost: TEST_HASH_COST });
  const usb = new UsbHost(key.hid);
  await usb.init();
  return {
    key,
    usb,
    server: new TestServer(record),
    path,
    cleanup: async () => {
      key.unplug();
      await folder.cleanup();
    },
  };
}

/**
 * `it` with a plugged key (pluggedKey) for each test that asks for one in its context:
 * `key`, `usb` (a USB host on its own channel), `server`; unplugged and deleted after it.
 */
export const itWithKey = test
  .extend('plugged', async ({ onTestFinished }) => {
    const plugged = await pluggedKey();
    onTestFinished(() => plugged.cleanup());
    return plugged;
  })
  .extend('key', ({ plugged }) => plugged.key)
  .extend('usb', ({ plugged }) => plugged.usb)
  .extend('server', ({ plugged }) => plugged.server);

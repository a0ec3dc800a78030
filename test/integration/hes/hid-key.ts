// A provisioned VirtualKey reached over its real USB HID link: the emulator's USB bus
// (node-hid's side), the real CTAPHID transport (device/transport/hid) and the real
// KeyClient; the cable is a TappedCable (test/device/manager/virtual-usb.ts) so a fault test
// can pull it at an exact report. The companion's relay hands sealed buffers to `remote()`, the key's
// RemoteCommand on channel 4, and the server's channel check to `verifyChannel()`; the test types
// codes and PINs with `request()`.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { KeyClient } from '../../../device/open-protocol/key-client';
import { Command, type Request, type Response } from '../../../device/protocol/messages';
import { openHidTransport, type HidTransport } from '../../../device/transport/hid';
import { hidDescriptor } from '../../../device/transport/hid/hid-enumeration';
import { provisionKeys, type ProvisioningRecord } from '../../../emulator/key/provision';
import { stateFileName } from '../../../emulator/key/state-store';
import { VirtualKey } from '../../../emulator/key/virtual-key';
import { VirtualUsbBus } from '../../../emulator/link/virtual-usb-bus';
import { deviceErrorCodeName, isDeviceErrorCode } from '../../../shared/errors/device-error-code';
import { HES_REMOTE_CHANNEL } from '../../../shared/hes/dto';
import type { KeyInfo } from '../../../shared/key/key-info';
import { TappedCable } from '../../device/manager/virtual-usb';
import { ascii, TEST_HASH_COST } from '../../emulator/key/key-hosts';

/** A safety net against a hang, never asserted on. */
const KEY_TIMEOUT_MS = 10_000;

/** The key answered a remote command in plain: it refused the buffer (e.g. ERR_BAD_SEAL). */
export class KeyRefusedError extends Error {
  override readonly name = 'KeyRefusedError';
  readonly code: string;

  constructor(readonly status: number) {
    const code = isDeviceErrorCode(status) ? deviceErrorCodeName(status) : `status ${status}`;
    super(`the key refused the remote command (${code})`);
    this.code = code;
  }
}

export class HidKey {
  /** The master key the key was last linked with, as the test knows it (see vault-setups.ts). */
  keyMaster: Uint8Array | undefined;
  private transport: HidTransport | undefined;
  private tapped: TappedCable | undefined;
  private client: KeyClient | undefined;
  /** One exchange at a time, as the device manager's per-key queue does. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly key: VirtualKey,
    readonly record: ProvisioningRecord,
    private readonly bus: VirtualUsbBus,
  ) {}

  /** Provisions a fresh key in its own folder under `dir` and opens its HID link. */
  static async create(dir: string): Promise<HidKey> {
    const folder = join(dir, `key-${randomUUID()}`);
    const [record] = await provisionKeys(folder, 1);
    if (!record) throw new Error('no key provisioned');
    const key = await VirtualKey.open(join(folder, stateFileName(record.serialNo)), {
      hashCost: TEST_HASH_COST,
    });
    const hidKey = new HidKey(key, record, new VirtualUsbBus([key]));
    await hidKey.connect();
    return hidKey;
  }

  get serial(): string {
    return this.record.serialNo;
  }

  /** Opens (or reopens) the HID link: node-hid open, CTAPHID INIT, a KeyClient over it. */
  async connect(): Promise<void> {
    const device = new TappedCable(await this.bus.nodeHid.HIDAsync.open(this.key.hid.path));
    this.transport = await openHidTransport(device, hidDescriptor(this.key.hid.deviceInfo()));
    this.tapped = device;
    this.client = new KeyClient(this.transport);
  }

  /** Closes the HID link only (the key keeps its power and state). */
  async disconnect(): Promise<void> {
    const transport = this.transport;
    this.transport = undefined;
    this.tapped = undefined;
    this.client = undefined;
    await transport?.close();
  }

  /** The open link's cable (taps, pull). */
  get cable(): TappedCable {
    if (!this.tapped) throw new Error('the key link is closed');
    return this.tapped;
  }

  get connected(): boolean {
    return this.transport?.isOpen ?? false;
  }

  request(request: Request, signal?: AbortSignal): Promise<Response> {
    return this.serially((client) =>
      client.request(request, {
        timeoutMs: KEY_TIMEOUT_MS,
        ...(signal !== undefined ? { signal } : {}),
      }),
    );
  }

  info(): Promise<KeyInfo> {
    return this.serially((client) => client.getInfo({ timeoutMs: KEY_TIMEOUT_MS }));
  }

  private serially<T>(run: (client: KeyClient) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('the key link is closed'));
    const result = this.queue.then(
      () => run(client),
      () => run(client),
    );
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The user types an activation code on the key. */
  async unlock(code: string): Promise<number> {
    return (await this.request({ command: Command.UnlockWithCode, code: ascii(code) })).status;
  }

  /** The key's RemoteCommand on channel 4: sealed bytes in, sealed bytes out. */
  async remote(sealed: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const request: Request = {
      command: Command.RemoteCommand,
      channel: HES_REMOTE_CHANNEL,
      sealed,
    };
    return this.channelStep(request, signal);
  }

  /** The key's VerifyChannel on channel 4: the server's nonce in, the key's proof out. */
  async verifyChannel(nonce: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const request: Request = { command: Command.VerifyChannel, channel: HES_REMOTE_CHANNEL, nonce };
    return this.channelStep(request, signal);
  }

  /** One step of the server's channel: the key's bytes for the server, or its refusal. */
  private async channelStep(request: Request, signal?: AbortSignal): Promise<Uint8Array> {
    const response = await this.request(request, signal);
    if ('sealed' in response) return response.sealed;
    if ('verifyReply' in response) return response.verifyReply;
    throw new KeyRefusedError(response.status);
  }

  async close(): Promise<void> {
    await this.disconnect();
    this.key.unplug();
  }
}

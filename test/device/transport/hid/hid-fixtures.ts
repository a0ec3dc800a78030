// Test setup for the HID transport: a provisioned virtual key, reached through
// the emulator's HidLink (node-hid look-alike with a link model) by the REAL
// transport; a KeyHost over that transport so the test can act as the server
// with sealed commands (test/emulator/key/key-hosts.ts).
import { decodeResponse, encodeRequest } from '../../../../device/protocol/message-codec';
import type { Request, Response } from '../../../../device/protocol/messages';
import {
  openHidTransport,
  type HidTransport,
  type HidTransportOptions,
} from '../../../../device/transport/hid';
import type { TransportDescriptor } from '../../../../device/transport/transport';
import { HidLink, type HidLinkModel } from '../../../../emulator/link/hid-link';
import { VirtualKey } from '../../../../emulator/key/virtual-key';
import {
  keyFolder,
  TEST_HASH_COST,
  TestServer,
  type KeyHost,
} from '../../../emulator/key/key-hosts';

export const EXCHANGE_MS = 5_000;

export const descriptorOf = (key: VirtualKey): TransportDescriptor => ({
  id: key.hid.path,
  link: 'usb',
  name: key.hid.product,
  serialHint: key.serialNo,
});

/** Requests through the transport, encoded and decoded by the real message codec. */
export const hostOver = (transport: HidTransport, timeoutMs = EXCHANGE_MS): KeyHost => ({
  request: async (request: Request): Promise<Response> =>
    decodeResponse(
      request.command,
      await transport.exchange(encodeRequest(request), { timeoutMs }),
    ),
});

export interface KeyOverHid {
  readonly key: VirtualKey;
  readonly link: HidLink;
  readonly transport: HidTransport;
  readonly host: KeyHost;
  readonly server: TestServer;
  /** Opens one more transport (another application) on the same key. */
  openAnother(options?: HidTransportOptions): Promise<{ link: HidLink; transport: HidTransport }>;
  cleanup(): Promise<void>;
}

export async function keyOverHid(
  model: Partial<HidLinkModel> = {},
  options: HidTransportOptions = {},
): Promise<KeyOverHid> {
  const folder = await keyFolder(1);
  const record = folder.records[0]!;
  const [key] = await VirtualKey.openFolder(folder.dir, { hashCost: TEST_HASH_COST });
  if (!key) throw new Error('no key provisioned');
  const open = async (opts: HidTransportOptions) => {
    const link = new HidLink(key.hid, model);
    return { link, transport: await openHidTransport(link, descriptorOf(key), opts) };
  };
  const { link, transport } = await open(options);
  const others: HidTransport[] = [];
  return {
    key,
    link,
    transport,
    host: hostOver(transport),
    server: new TestServer(record),
    openAnother: async (opts = {}) => {
      const other = await open(opts);
      others.push(other.transport);
      return other;
    },
    cleanup: async () => {
      await Promise.all([transport, ...others].map((t) => t.close()));
      key.unplug();
      await folder.cleanup();
    },
  };
}

/** A 64-byte input report: channel id, then `bytes`. */
export function inputReport(cid: number, bytes: readonly number[]): Buffer {
  const report = Buffer.alloc(64);
  report.writeUInt32BE(cid >>> 0, 0);
  report.set(bytes, 4);
  return report;
}

// The codec workloads: CTAPHID reports (USB), GATT fragments at both fragment sizes
// (BLE), and the CBOR message layer, each one way (encode) and back (decode), on the
// sizes that matter: a GetInfo answer (98 bytes), a sealed server command, the
// largest message a link can carry.
import { randomBytes } from 'node:crypto';
import {
  BleReassembler,
  encodeFragments,
  maxBleMessageSize,
} from '../../device/protocol/ble-fragments';
import { CtapHidReassembler, encodeReports, MAX_MESSAGE_SIZE } from '../../device/protocol/ctaphid';
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
} from '../../device/protocol/message-codec';
import { Command, type Request } from '../../device/protocol/messages';
import { profile, type ProfileId } from '../link-profiles';

export interface CodecCase {
  readonly name: string;
  /** Payload bytes one operation moves (what the throughput is counted in). */
  readonly bytes: number;
  /** The link this codec feeds, for its share of that link's time. */
  readonly link: ProfileId;
  /** Who runs it: the companion, or the key (the virtual key here). */
  readonly side: 'companion' | 'key';
  readonly run: () => void;
}

/** docs/protocol.md §9.2: the GetInfo answer of a key waiting for activation (98 bytes). */
const GETINFO_RESPONSE = Buffer.from(
  '00b30170535431303130313230303130303030310246d12a3b4c5d6e036c48696465657a204b657920340465332e362e320565312e302e3506f4071857081a000100000919f0000a1a666699800b18980cf50df40ef50f03100a1104120113191db9',
  'hex',
);
const CID = 0x1a2b3c4d;
const HIDEEZ_MESSAGE = 0x40;
const BLE_MSG = 0x83;

function ctaphid(size: number): CodecCase[] {
  const payload = new Uint8Array(randomBytes(size));
  const reports = encodeReports({ cid: CID, cmd: HIDEEZ_MESSAGE, payload });
  return [
    {
      name: `CTAPHID encode ${size} B`,
      bytes: size,
      link: 'usb-fs',
      side: 'companion',
      run: () => void encodeReports({ cid: CID, cmd: HIDEEZ_MESSAGE, payload }),
    },
    {
      name: `CTAPHID reassemble ${size} B`,
      bytes: size,
      link: 'usb-fs',
      side: 'companion',
      run: () => {
        const reassembler = new CtapHidReassembler();
        for (const report of reports) reassembler.push(report);
      },
    },
  ];
}

function ble(size: number, fragmentSize: number, link: ProfileId): CodecCase[] {
  const payload = new Uint8Array(randomBytes(size));
  const fragments = encodeFragments({ cmd: BLE_MSG, payload }, fragmentSize);
  return [
    {
      name: `BLE fragment ${size} B @${fragmentSize}`,
      bytes: size,
      link,
      side: 'companion',
      run: () => void encodeFragments({ cmd: BLE_MSG, payload }, fragmentSize),
    },
    {
      name: `BLE reassemble ${size} B @${fragmentSize}`,
      bytes: size,
      link,
      side: 'companion',
      run: () => {
        const reassembler = new BleReassembler(fragmentSize);
        for (const fragment of fragments) reassembler.push(fragment);
      },
    },
  ];
}

function cbor(): CodecCase[] {
  const info = decodeResponse(Command.GetInfo, new Uint8Array(GETINFO_RESPONSE));
  const remote: Request = {
    command: Command.RemoteCommand,
    channel: 4,
    sealed: new Uint8Array(randomBytes(200)),
  };
  const remoteBytes = encodeRequest(remote);
  return [
    {
      name: 'CBOR encode GetInfo answer',
      bytes: GETINFO_RESPONSE.length,
      link: 'usb-fs',
      side: 'key',
      run: () => void encodeResponse(info),
    },
    {
      name: 'CBOR decode GetInfo answer',
      bytes: GETINFO_RESPONSE.length,
      link: 'usb-fs',
      side: 'companion',
      run: () => void decodeResponse(Command.GetInfo, GETINFO_RESPONSE),
    },
    {
      name: 'CBOR encode RemoteCommand (200 B sealed)',
      bytes: remoteBytes.length,
      link: 'usb-fs',
      side: 'companion',
      run: () => void encodeRequest(remote),
    },
    {
      name: 'CBOR decode RemoteCommand (200 B sealed)',
      bytes: remoteBytes.length,
      link: 'usb-fs',
      side: 'key',
      run: () => void decodeRequest(remoteBytes),
    },
  ];
}

export function codecCases(): CodecCase[] {
  const fragment23 = (profile('ble-23').ble?.mtu ?? 23) - 3;
  const fragment185 = (profile('ble-185').ble?.mtu ?? 185) - 3;
  return [
    ...ctaphid(GETINFO_RESPONSE.length),
    ...ctaphid(MAX_MESSAGE_SIZE),
    ...ble(GETINFO_RESPONSE.length, fragment23, 'ble-23'),
    ...ble(maxBleMessageSize(fragment23), fragment23, 'ble-23'),
    ...ble(GETINFO_RESPONSE.length, fragment185, 'ble-185'),
    ...ble(maxBleMessageSize(fragment185), fragment185, 'ble-185'),
    ...cbor(),
  ];
}

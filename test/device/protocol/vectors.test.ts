// The test vectors of docs/protocol.md §9, read from the document itself and
// checked both ways against the codecs: encoding the stated values must give
// exactly the documented bytes, and decoding those bytes must give the values.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { CodeLockReason, type KeyInfo, accessFlagsFromBits } from '../../../shared/key/key-info';
import {
  BleCommand,
  BleReassembler,
  encodeFragments,
} from '../../../device/protocol/ble-fragments';
import {
  CTAPHID_BROADCAST_CID,
  CtapHidCommand,
  CtapHidError,
  type CtapHidFrame,
  CtapHidReassembler,
  KeepaliveStatus,
  decodeInitRequest,
  decodeInitResponse,
  encodeInitRequest,
  encodeInitResponse,
  encodeReports,
  errorFrame,
  keepaliveFrame,
} from '../../../device/protocol/ctaphid';
import { decodeControlPointLength, encodeControlPointLength } from '../../../device/protocol/gatt';
import {
  decodeEvent,
  decodeRequest,
  decodeResponse,
  encodeEvent,
  encodeRequest,
  encodeResponse,
} from '../../../device/protocol/message-codec';
import {
  Command,
  type Event,
  KeyEvent,
  type Request,
  type Response,
} from '../../../device/protocol/messages';
import {
  decodeRemoteOp,
  encodeRemoteOp,
  decodeRemoteReply,
  encodeRemoteReply,
} from '../../../emulator/remote-channel/op-codec';
import {
  type RemoteOp,
  RemoteOpCode,
  type RemoteReply,
} from '../../../emulator/remote-channel/ops';
import {
  SealDirection,
  openCommand,
  openReply,
  sealAad,
  sealCommand,
  sealNonce,
  sealReply,
} from '../../../emulator/remote-channel/seal';
import {
  channelVerifyKey,
  channelVerifyReply,
  checkChannelVerifyReply,
} from '../../../emulator/remote-channel/channel-proof';
import { hex } from './arbitraries';

const DOC = new URL('../../../docs/protocol.md', import.meta.url);

/** Every ```hex vector=NAME block: its lines, comments and spaces removed, empty lines dropped. */
function parseVectors(markdown: string): Map<string, Uint8Array[]> {
  const vectors = new Map<string, Uint8Array[]>();
  for (const match of markdown.matchAll(/^```hex vector=([a-z0-9-]+)\n([\s\S]*?)^```$/gm)) {
    const [, name = '', body = ''] = match;
    if (vectors.has(name)) throw new Error(`vector ${name} appears twice`);
    const lines = body
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').replace(/\s+/g, ''))
      .filter((line) => line.length > 0);
    for (const line of lines) {
      if (!/^([0-9a-f]{2})+$/.test(line)) throw new Error(`vector ${name}: not hex: ${line}`);
    }
    vectors.set(
      name,
      lines.map((line) => Uint8Array.from(Buffer.from(line, 'hex'))),
    );
  }
  return vectors;
}

const join = (units: Uint8Array[]): Uint8Array => Uint8Array.from(units.flatMap((u) => [...u]));
const ascii = (text: string) => new TextEncoder().encode(text);

const CID = 0x1a2b3c4d;
const NONCE = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i);

const info: KeyInfo = {
  serialNo: 'ST10101200100001',
  mac: 'D1:2A:3B:4C:5D:6E',
  model: 'Hideez Key 4',
  firmwareVersion: '3.6.2',
  bootloaderVersion: '1.0.5',
  bootloaderMode: false,
  battery: 87,
  storageTotalSize: 65536,
  storageFreeSize: 61440,
  storageTimestamp: 1718000000,
  access: accessFlagsFromBits(0x98),
  lockedByCode: true,
  lockedByPin: false,
  canUnlock: true,
  unlockAttemptsRemain: 3,
  pinAttemptsRemain: 10,
  minPinLength: 4,
  codeLockReason: CodeLockReason.FirstActivation,
  maxMessageSize: 7609,
};
const getInfo: Request = { command: Command.GetInfo };
const getInfoOk: Response = { command: Command.GetInfo, status: DeviceErrorCode.OK, info };
const unlock: Request = { command: Command.UnlockWithCode, code: ascii('123456') };
const wrongCode: Response = {
  command: Command.UnlockWithCode,
  status: DeviceErrorCode.ERR_PIN_WRONG,
  attemptsRemain: 2,
};
const accessChanged: Event = {
  event: KeyEvent.AccessChanged,
  accessBits: 0x18,
  lockedByCode: false,
  lockedByPin: false,
};
const accessChangedWithDetail: Event = {
  ...accessChanged,
  lockDetail: {
    canUnlock: false,
    unlockAttemptsRemain: 3,
    pinAttemptsRemain: 5,
    codeLockReason: 0,
    pinSet: true,
  },
};
const setPin: Request = {
  command: Command.SetPin,
  newPin: ascii('12345678'),
  oldPin: ascii('87654321'),
};
const link: RemoteOp = {
  op: RemoteOpCode.Link,
  masterKey: new Uint8Array(32).fill(0x11),
  code: ascii('123456'),
  attempts: 3,
};
const replay: RemoteReply = { status: DeviceErrorCode.ERR_REPLAY, lastCounter: 1n };
const VERIFY_NONCE = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const verifyReply = channelVerifyReply(SECRET, 4, VERIFY_NONCE, 5n);
const initResponse = {
  nonce: NONCE,
  cid: CID,
  protocolVersion: 2,
  versionMajor: 3,
  versionMinor: 6,
  versionBuild: 2,
  capabilities: 0x09,
};

/** Reports: encoding the frame gives the lines; reassembling the lines gives the frame. */
function reports(frame: CtapHidFrame, decodePayload?: (payload: Uint8Array) => void) {
  return (units: Uint8Array[]) => {
    expect(encodeReports(frame).map(hex)).toEqual(units.map(hex));
    const r = new CtapHidReassembler();
    const frames = units.map((u) => r.push(u)).filter((f) => f !== undefined);
    expect(frames).toEqual([frame]);
    decodePayload?.(frames[0]!.payload);
  };
}

/** One buffer: encode gives it, decode gives the value back. */
function buffer<T>(value: T, encode: (v: T) => Uint8Array, decode: (b: Uint8Array) => T) {
  return (units: Uint8Array[]) => {
    const bytes = join(units);
    expect(hex(encode(value))).toBe(hex(bytes));
    expect(decode(bytes)).toEqual(value);
  };
}

const requestReports = (r: Request) =>
  reports({ cid: CID, cmd: CtapHidCommand.HideezMessage, payload: encodeRequest(r) }, (p) =>
    expect(decodeRequest(p)).toEqual(r),
  );
const responseReports = (r: Response) =>
  reports({ cid: CID, cmd: CtapHidCommand.HideezMessage, payload: encodeResponse(r) }, (p) =>
    expect(decodeResponse(r.command, p)).toEqual(r),
  );
const eventReports = (e: Event) =>
  reports({ cid: CID, cmd: CtapHidCommand.HideezEvent, payload: encodeEvent(e) }, (p) =>
    expect(decodeEvent(p)).toEqual(e),
  );

const checks: Record<string, (units: Uint8Array[]) => void> = {
  'init-request': reports(
    { cid: CTAPHID_BROADCAST_CID, cmd: CtapHidCommand.Init, payload: encodeInitRequest(NONCE) },
    (p) => expect(decodeInitRequest(p)).toEqual(NONCE),
  ),
  'init-response': reports(
    {
      cid: CTAPHID_BROADCAST_CID,
      cmd: CtapHidCommand.Init,
      payload: encodeInitResponse(initResponse),
    },
    (p) => expect(decodeInitResponse(p)).toEqual(initResponse),
  ),
  'getinfo-request': requestReports(getInfo),
  'getinfo-response-message': buffer(getInfoOk, encodeResponse, (b) =>
    decodeResponse(Command.GetInfo, b),
  ),
  'getinfo-response': responseReports(getInfoOk),
  'unlock-request-message': buffer(unlock, encodeRequest, decodeRequest),
  'unlock-request': requestReports(unlock),
  'unlock-wrong-code-message': buffer(wrongCode, encodeResponse, (b) =>
    decodeResponse(Command.UnlockWithCode, b),
  ),
  'unlock-wrong-code': responseReports(wrongCode),
  'keepalive-up-needed': reports(keepaliveFrame(CID, KeepaliveStatus.UpNeeded)),
  'error-channel-busy': reports(errorFrame(0x0badcafe, CtapHidError.ChannelBusy)),
  'event-access-changed-message': buffer(accessChanged, encodeEvent, decodeEvent),
  'event-access-changed': eventReports(accessChanged),
  'event-access-changed-detail-message': buffer(accessChangedWithDetail, encodeEvent, decodeEvent),
  'ble-control-point-length': buffer(20, encodeControlPointLength, decodeControlPointLength),
  'ble-setpin-message': buffer(setPin, encodeRequest, decodeRequest),
  'ble-setpin-fragments': (units) => {
    const frame = { cmd: BleCommand.Msg, payload: encodeRequest(setPin) };
    expect(encodeFragments(frame, 20).map(hex)).toEqual(units.map(hex));
    const r = new BleReassembler(20);
    const frames = units.map((u) => r.push(u)).filter((f) => f !== undefined);
    expect(frames).toEqual([frame]);
    expect(decodeRequest(frames[0]!.payload)).toEqual(setPin);
  },
  'seal-secret': (units) => expect(hex(join(units))).toBe(hex(SECRET)),
  'link-plaintext': buffer(link, encodeRemoteOp, decodeRemoteOp),
  'link-nonce': (units) => expect(hex(sealNonce(SealDirection.Command, 1n))).toBe(hex(join(units))),
  'link-aad': (units) => expect(hex(sealAad(SealDirection.Command, 1n))).toBe(hex(join(units))),
  'link-sealed': (units) => {
    const sealed = join(units);
    expect(hex(sealCommand(SECRET, 1n, link))).toBe(hex(sealed));
    expect(openCommand(SECRET, sealed)).toEqual({ counter: 1n, op: link });
  },
  'remote-command-message': buffer<Request>(
    {
      command: Command.RemoteCommand,
      channel: 4,
      sealed: sealCommand(SECRET, 1n, link),
    },
    encodeRequest,
    decodeRequest,
  ),
  'replay-plaintext': buffer(replay, encodeRemoteReply, decodeRemoteReply),
  'replay-sealed': (units) => {
    const sealed = join(units);
    expect(hex(sealReply(SECRET, 1n, replay))).toBe(hex(sealed));
    expect(openReply(SECRET, 1n, sealed)).toEqual(replay);
  },
  'verify-channel-message': buffer<Request>(
    { command: Command.VerifyChannel, channel: 4, nonce: VERIFY_NONCE },
    encodeRequest,
    decodeRequest,
  ),
  'verify-key': (units) => expect(hex(channelVerifyKey(SECRET))).toBe(hex(join(units))),
  'verify-reply': (units) => {
    const reply = join(units);
    expect(hex(verifyReply)).toBe(hex(reply));
    expect(checkChannelVerifyReply(SECRET, 4, VERIFY_NONCE, reply)).toBe(5n);
  },
  'verify-channel-response-message': buffer<Response>(
    { command: Command.VerifyChannel, status: DeviceErrorCode.OK, verifyReply },
    encodeResponse,
    (b) => decodeResponse(Command.VerifyChannel, b),
  ),
};

describe('docs/protocol.md §9 test vectors', () => {
  const vectors = parseVectors(readFileSync(DOC, 'utf8'));

  it('the document has exactly the vectors this test knows, each non-empty', () => {
    expect([...vectors.keys()].sort()).toEqual(Object.keys(checks).sort());
    for (const units of vectors.values()) expect(units.length).toBeGreaterThan(0);
  });

  for (const [name, check] of Object.entries(checks)) {
    it(`vector ${name} matches the codecs both ways`, () => {
      const units = vectors.get(name);
      expect(units, `vector ${name} is missing from docs/protocol.md`).toBeDefined();
      check(units!);
    });
  }

  it('the parser refuses a block that is not hex, so a typo cannot pass silently', () => {
    expect(() => parseVectors('```hex vector=x\n01 0g\n```\n')).toThrow(/not hex/);
    expect(parseVectors('```hex vector=x\n01 02 # a comment\n0304\n```\n').get('x')).toEqual([
      Uint8Array.of(1, 2),
      Uint8Array.of(3, 4),
    ]);
  });
});

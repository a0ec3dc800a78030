// The plaintext of the sealed remote channel (docs/protocol.md §7.4–§7.5): an op is the
// op byte + a CBOR map, a reply is a status byte + an optional CBOR map, exactly
// like the message layer. Every field is validated; secrets never reach an error.
import { DeviceErrorCode, isDeviceErrorCode } from '../../shared/errors/device-error-code';
import {
  type CborMap,
  UINT32_MAX,
  check,
  decodeOptionalMap,
  encodeCborMap,
  readBool,
  readBytes,
  readMap,
  readOptionalUint64,
  readUint,
  uint64Value,
} from '../../device/protocol/cbor-map';
import { MAX_MESSAGE_SIZE } from '../../device/protocol/ctaphid';
import { decodeKeyInfo, encodeKeyInfo } from '../../device/protocol/key-info-codec';
import { ProtocolErrorCode, protocolError } from '../../device/protocol/protocol-error';
import { type AccessParams, type RemoteOp, RemoteOpCode, type RemoteReply } from './ops';

export const MASTER_KEY_BYTES = 32;
/** HES generates 6-digit codes; the Hideez Client accepts 6–8. */
export const CODE_PATTERN = /^[0-9]{6,8}$/;
export const CODE_MIN_BYTES = 6;
export const CODE_MAX_BYTES = 8;
export const ATTEMPTS_MIN = 1;
export const ATTEMPTS_MAX = 255;
export const PIN_MIN_LENGTH_MIN = 1;
export const PIN_MIN_LENGTH_MAX = 64;

/** CBOR keys of each op's map. */
export const OpKey = {
  /** Link and LockDeviceCode */
  CodeLock: { masterKey: 1, code: 2, attempts: 3 },
  Access: { masterKey: 1, time: 2, profile: 3 },
  /** Wipe and CheckPassphrase */
  MasterKeyOnly: { masterKey: 1 },
} as const;

/** CBOR keys of the AccessParams map (Access key 3). */
export const AccessParamsKey = {
  masterKeyBond: 1,
  masterKeyConnect: 2,
  masterKeyChannel: 3,
  buttonBond: 4,
  buttonConnect: 5,
  buttonChannel: 6,
  pinBond: 7,
  pinConnect: 8,
  pinChannel: 9,
  pinMinLength: 10,
  pinMaxTries: 11,
  pinExpirationSeconds: 12,
  buttonExpirationSeconds: 13,
  masterKeyExpirationSeconds: 14,
} as const satisfies Record<keyof AccessParams, number>;

/** CBOR key of a failure reply's map. An OK reply's map is the KeyInfo map (§5.1). */
export const ReplyKey = { lastCounter: 1 } as const;

const OP_CODES: ReadonlySet<number> = new Set(Object.values(RemoteOpCode));
export const isRemoteOpCode = (value: number): value is RemoteOpCode => OP_CODES.has(value);

const BOOL_PARAMS = [
  'masterKeyBond',
  'masterKeyConnect',
  'masterKeyChannel',
  'buttonBond',
  'buttonConnect',
  'buttonChannel',
  'pinBond',
  'pinConnect',
  'pinChannel',
] as const;
const SECONDS_PARAMS = [
  'pinExpirationSeconds',
  'buttonExpirationSeconds',
  'masterKeyExpirationSeconds',
] as const;

function frame(lead: number, fields: ReadonlyArray<readonly [number, unknown]>): Uint8Array {
  const body = fields.length === 0 ? new Uint8Array(0) : encodeCborMap(fields);
  const out = new Uint8Array(1 + body.length);
  out[0] = lead;
  out.set(body, 1);
  return out;
}

function unknownOp(op: unknown): never {
  throw protocolError(ProtocolErrorCode.UnknownCommand, 'unknown remote op', {
    op: typeof op === 'number' ? op : -1,
  });
}

const masterKey = (value: Uint8Array, what: string): Uint8Array =>
  check.bytes(value, what, 'masterKey', MASTER_KEY_BYTES, MASTER_KEY_BYTES);

function codeBytes(value: Uint8Array, what: string): Uint8Array {
  const bytes = check.bytes(value, what, 'code', CODE_MIN_BYTES, CODE_MAX_BYTES);
  checkDigits(bytes, what);
  return bytes;
}

function checkDigits(bytes: Uint8Array, what: string): void {
  if (!bytes.every((b) => b >= 0x30 && b <= 0x39)) {
    throw protocolError(ProtocolErrorCode.BadField, `${what}: code must be 6..8 ASCII digits`, {
      field: 'code',
    });
  }
}

function encodeAccessParams(p: AccessParams): Map<number, unknown> {
  const what = 'AccessParams';
  const map = new Map<number, unknown>();
  for (const name of BOOL_PARAMS) map.set(AccessParamsKey[name], check.bool(p[name], what, name));
  map.set(
    AccessParamsKey.pinMinLength,
    check.uint(p.pinMinLength, what, 'pinMinLength', PIN_MIN_LENGTH_MIN, PIN_MIN_LENGTH_MAX),
  );
  map.set(
    AccessParamsKey.pinMaxTries,
    check.uint(p.pinMaxTries, what, 'pinMaxTries', ATTEMPTS_MIN, ATTEMPTS_MAX),
  );
  for (const name of SECONDS_PARAMS) {
    map.set(AccessParamsKey[name], check.uint(p[name], what, name, 0, UINT32_MAX));
  }
  return map;
}

function decodeAccessParams(map: CborMap): AccessParams {
  const what = 'AccessParams';
  const ref = (field: keyof AccessParams) => ({ what, key: AccessParamsKey[field], field });
  const bools = Object.fromEntries(BOOL_PARAMS.map((name) => [name, readBool(map, ref(name))]));
  const seconds = Object.fromEntries(
    SECONDS_PARAMS.map((name) => [name, readUint(map, ref(name), 0, UINT32_MAX)]),
  );
  return {
    ...(bools as Record<(typeof BOOL_PARAMS)[number], boolean>),
    pinMinLength: readUint(map, ref('pinMinLength'), PIN_MIN_LENGTH_MIN, PIN_MIN_LENGTH_MAX),
    pinMaxTries: readUint(map, ref('pinMaxTries'), ATTEMPTS_MIN, ATTEMPTS_MAX),
    ...(seconds as Record<(typeof SECONDS_PARAMS)[number], number>),
  };
}

export function encodeRemoteOp(op: RemoteOp): Uint8Array {
  switch (op.op) {
    case RemoteOpCode.GetState:
      return frame(op.op, []);
    case RemoteOpCode.Link:
    case RemoteOpCode.LockDeviceCode: {
      const what = op.op === RemoteOpCode.Link ? 'Link' : 'LockDeviceCode';
      return frame(op.op, [
        [OpKey.CodeLock.masterKey, masterKey(op.masterKey, what)],
        [OpKey.CodeLock.code, codeBytes(op.code, what)],
        [
          OpKey.CodeLock.attempts,
          check.uint(op.attempts, what, 'attempts', ATTEMPTS_MIN, ATTEMPTS_MAX),
        ],
      ]);
    }
    case RemoteOpCode.Access:
      return frame(op.op, [
        [OpKey.Access.masterKey, masterKey(op.masterKey, 'Access')],
        [OpKey.Access.time, check.uint(op.time, 'Access', 'time', 0, UINT32_MAX)],
        [OpKey.Access.profile, encodeAccessParams(op.profile)],
      ]);
    case RemoteOpCode.Wipe:
    case RemoteOpCode.CheckPassphrase: {
      const what = op.op === RemoteOpCode.Wipe ? 'Wipe' : 'CheckPassphrase';
      return frame(op.op, [[OpKey.MasterKeyOnly.masterKey, masterKey(op.masterKey, what)]]);
    }
    default:
      return unknownOp((op as { op: unknown }).op);
  }
}

function split(bytes: Uint8Array, what: string): { lead: number; body: Uint8Array } {
  if (bytes.length === 0) {
    throw protocolError(ProtocolErrorCode.Truncated, `${what} is empty`, { length: 0 });
  }
  if (bytes.length > MAX_MESSAGE_SIZE) {
    throw protocolError(ProtocolErrorCode.Overlong, `${what} is longer than 7609 bytes`, {
      length: bytes.length,
    });
  }
  return { lead: bytes[0] ?? 0, body: bytes.subarray(1) };
}

export function decodeRemoteOp(bytes: Uint8Array): RemoteOp {
  const { lead: op, body } = split(bytes, 'remote op');
  if (!isRemoteOpCode(op)) unknownOp(op);
  const map = decodeOptionalMap(body, 'remote op');
  const readMasterKey = (what: string, key: number): Uint8Array =>
    readBytes(map, { what, key, field: 'masterKey' }, MASTER_KEY_BYTES, MASTER_KEY_BYTES);
  switch (op) {
    case RemoteOpCode.GetState:
      return { op };
    case RemoteOpCode.Link:
    case RemoteOpCode.LockDeviceCode: {
      const what = op === RemoteOpCode.Link ? 'Link' : 'LockDeviceCode';
      const keys = OpKey.CodeLock;
      const masterKeyValue = readMasterKey(what, keys.masterKey);
      const code = readBytes(
        map,
        { what, key: keys.code, field: 'code' },
        CODE_MIN_BYTES,
        CODE_MAX_BYTES,
      );
      checkDigits(code, what);
      const attempts = readUint(
        map,
        { what, key: keys.attempts, field: 'attempts' },
        ATTEMPTS_MIN,
        ATTEMPTS_MAX,
      );
      return { op, masterKey: masterKeyValue, code, attempts };
    }
    case RemoteOpCode.Access: {
      const keys = OpKey.Access;
      const what = 'Access';
      return {
        op,
        time: readUint(map, { what, key: keys.time, field: 'time' }, 0, UINT32_MAX),
        masterKey: readMasterKey(what, keys.masterKey),
        profile: decodeAccessParams(readMap(map, { what, key: keys.profile, field: 'profile' })),
      };
    }
    case RemoteOpCode.Wipe:
    case RemoteOpCode.CheckPassphrase: {
      const what = op === RemoteOpCode.Wipe ? 'Wipe' : 'CheckPassphrase';
      return { op, masterKey: readMasterKey(what, OpKey.MasterKeyOnly.masterKey) };
    }
  }
}

export function encodeRemoteReply(reply: RemoteReply): Uint8Array {
  if (!isDeviceErrorCode(reply.status)) {
    throw protocolError(
      ProtocolErrorCode.BadField,
      'remote reply: status is not a known status code',
      {
        field: 'status',
      },
    );
  }
  if (reply.status === DeviceErrorCode.OK) {
    if (!('info' in reply)) {
      throw protocolError(ProtocolErrorCode.BadField, 'remote reply: an OK reply carries KeyInfo', {
        field: 'info',
      });
    }
    return frame(DeviceErrorCode.OK, [...encodeKeyInfo(reply.info)]);
  }
  const lastCounter = 'lastCounter' in reply ? reply.lastCounter : undefined;
  return frame(
    reply.status,
    lastCounter === undefined
      ? []
      : [
          [
            ReplyKey.lastCounter,
            uint64Value(check.uint64(lastCounter, 'remote reply', 'lastCounter')),
          ],
        ],
  );
}

export function decodeRemoteReply(bytes: Uint8Array): RemoteReply {
  const { lead: status, body } = split(bytes, 'remote reply');
  if (!isDeviceErrorCode(status)) {
    throw protocolError(
      ProtocolErrorCode.BadField,
      'remote reply: status is not a known status code',
      {
        field: 'status',
        status,
      },
    );
  }
  const map = decodeOptionalMap(body, 'remote reply');
  if (status === DeviceErrorCode.OK) {
    if (body.length === 0) {
      throw protocolError(ProtocolErrorCode.BadField, 'remote reply: the KeyInfo map is missing', {
        field: 'info',
      });
    }
    return { status, info: decodeKeyInfo(map) };
  }
  const lastCounter = readOptionalUint64(map, {
    what: 'remote reply',
    key: ReplyKey.lastCounter,
    field: 'lastCounter',
  });
  return lastCounter === undefined ? { status } : { status, lastCounter };
}

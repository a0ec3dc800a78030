// The firmware's persistent state, as the key keeps it in its secure storage:
// factory provisioning, the link to a server (master key), the activation-code
// lock, the PIN, the access profile, the last accepted remote counter and the
// housekeeping values. parseKeyState() checks everything a file could get
// wrong, so a corrupt or tampered file gives a KeyStateError, never a crash.
import { LICENSE_SLOTS } from '../../device/key/key-operations';
import { CodeLockReason } from '../../shared/key/key-info';
import type { AccessParams } from '../remote-channel/ops';
import { SEAL_SECRET_BYTES } from '../remote-channel/seal';
import { KeyStateError, KeyStateErrorCode } from './key-state-error';
import { isBase64, isSecretHash, type SecretHash } from './secret-hash';

export const KEY_STATE_FORMAT = 'hideez-virtual-key/1';
/** The firmware's defaults before the server writes a profile (HES default profile: 4 and 10). */
export const DEFAULT_PIN_MIN_LENGTH = 4;
export const DEFAULT_PIN_MAX_TRIES = 10;
export const PIN_MAX_LENGTH = 8;
export const CODE_MIN_LENGTH = 6;
export const CODE_MAX_LENGTH = 8;
/** The range the SDK documents for Link/LockDeviceCode attempts ("3-15"); HES always sends 3. */
export const CODE_ATTEMPTS_MIN = 3;
export const CODE_ATTEMPTS_MAX = 15;
export const PIN_TRIES_MAX = 15;

export interface Provisioning {
  readonly serialNo: string;
  readonly mac: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly bootloaderVersion: string;
  /**
   * An open-protocol key's seal secret for the remote channel, base64 of
   * SEAL_SECRET_BYTES bytes. A Hideez Key 3 has none (its channels set up their own keys).
   */
  readonly secret?: string;
  /** A Hideez Key 3's identity keys (emulator/key3): it speaks the Key 3 protocol over BLE only. */
  readonly key3?: Key3Identity;
}

export interface Key3Identity {
  /** The key's root private key (base64, 32 bytes): it signs each channel's handshake. */
  readonly rootPrivateKey: string;
  /** Its root-key certificate (base64), signed by a vendor key. */
  readonly certificate: string;
}

export interface CodeLock {
  readonly code: SecretHash;
  readonly attemptsSet: number;
  readonly attemptsRemain: number;
  readonly reason: typeof CodeLockReason.FirstActivation | typeof CodeLockReason.Suspension;
}

export interface PinState {
  /** null: no PIN set yet. */
  readonly hash: SecretHash | null;
  readonly attemptsRemain: number;
  readonly lockedByPin: boolean;
}

export interface StorageInfo {
  readonly totalSize: number;
  readonly freeSize: number;
  /** Unix seconds of the last storage change. */
  readonly timestamp: number;
}

export interface KeyState {
  readonly format: typeof KEY_STATE_FORMAT;
  readonly provisioning: Provisioning;
  /** null: blank key (link required). Only the hash of the master key is kept: the key only compares it. */
  readonly link: { readonly masterKey: SecretHash } | null;
  /** null: not locked by an activation code. */
  readonly codeLock: CodeLock | null;
  readonly pin: PinState;
  /** null: the server has not written an access profile yet. */
  readonly profile: AccessParams | null;
  /** The last remote counter the key accepted, a decimal bigint (JSON has no bigint). */
  readonly remoteCounter: string;
  /** 0–100 % */
  readonly battery: number;
  readonly storage: StorageInfo;
  /** The licence slots (LoadLicense): base64 of each blob, null when free. A wipe frees them. */
  readonly licenses: readonly (string | null)[];
}

const freeLicenses = (): (string | null)[] => Array.from({ length: LICENSE_SLOTS }, () => null);

export const blankPinState = (profile: AccessParams | null): PinState => ({
  hash: null,
  attemptsRemain: profile?.pinMaxTries ?? DEFAULT_PIN_MAX_TRIES,
  lockedByPin: false,
});

/** A freshly provisioned (or wiped) key. */
export function blankKeyState(provisioning: Provisioning, storage: StorageInfo): KeyState {
  return {
    format: KEY_STATE_FORMAT,
    provisioning,
    link: null,
    codeLock: null,
    pin: blankPinState(null),
    profile: null,
    remoteCounter: '0',
    battery: 100,
    storage,
    licenses: freeLicenses(),
  };
}

// ---- validation -------------------------------------------------------------

type Obj = Record<string, unknown>;

function invalid(field: string, reason: string): KeyStateError {
  return new KeyStateError(KeyStateErrorCode.Invalid, `Invalid key state: ${field} ${reason}`, {
    field,
    reason,
  });
}

function obj(value: unknown, field: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(field, 'is not an object');
  }
  return value as Obj;
}

function str(o: Obj, key: string, field: string, pattern?: RegExp): string {
  const v = o[key];
  if (typeof v !== 'string') throw invalid(`${field}.${key}`, 'is not a string');
  if (pattern && !pattern.test(v)) throw invalid(`${field}.${key}`, 'has a wrong format');
  return v;
}

function int(o: Obj, key: string, field: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw invalid(`${field}.${key}`, 'is not an integer');
  }
  if (v < min || v > max) throw invalid(`${field}.${key}`, `is out of range ${min}..${max}`);
  return v;
}

function bool(o: Obj, key: string, field: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw invalid(`${field}.${key}`, 'is not a boolean');
  return v;
}

function hash(value: unknown, field: string): SecretHash {
  if (!isSecretHash(value)) throw invalid(field, 'is not a valid secret hash');
  return { salt: value.salt, hash: value.hash, cost: value.cost };
}

const SERIAL = /^[A-Z0-9]{4,32}$/;
const MAC = /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/;
const VERSION = /^\d{1,5}\.\d{1,5}\.\d{1,5}$/;
const COUNTER = /^(0|[1-9]\d{0,19})$/;
const U32 = 0xffffffff;

/** A certificate is 1 + 65 + 1 + devInfo (≤ 255) + 64 bytes. */
const CERTIFICATE_MAX_BYTES = 386;

function parseKey3Identity(value: unknown, field: string): Key3Identity {
  const k = obj(value, field);
  const rootPrivateKey = str(k, 'rootPrivateKey', field);
  if (!isBase64(rootPrivateKey, 32))
    throw invalid(`${field}.rootPrivateKey`, 'is not 32 bytes of base64');
  const certificate = str(k, 'certificate', field);
  const bytes = Buffer.from(certificate, 'base64');
  if (
    !/^[A-Za-z0-9+/]+={0,2}$/.test(certificate) ||
    bytes.length < 131 ||
    bytes.length > CERTIFICATE_MAX_BYTES
  ) {
    throw invalid(`${field}.certificate`, 'is not a certificate in base64');
  }
  return { rootPrivateKey, certificate };
}

export function parseProvisioning(value: unknown, field = 'provisioning'): Provisioning {
  const p = obj(value, field);
  const identity = {
    serialNo: str(p, 'serialNo', field, SERIAL),
    mac: str(p, 'mac', field, MAC),
    model: str(p, 'model', field, /^.{1,64}$/),
    firmwareVersion: str(p, 'firmwareVersion', field, VERSION),
    bootloaderVersion: str(p, 'bootloaderVersion', field, VERSION),
  };
  // One family per key: the open protocol's seal secret, or a Key 3's identity keys.
  if (p['key3'] !== undefined) {
    if (p['secret'] !== undefined) throw invalid(`${field}.secret`, 'is set on a Key 3');
    return { ...identity, key3: parseKey3Identity(p['key3'], `${field}.key3`) };
  }
  const secret = str(p, 'secret', field);
  if (!isBase64(secret, SEAL_SECRET_BYTES))
    throw invalid(`${field}.secret`, 'is not 32 bytes of base64');
  return { ...identity, secret };
}

/** Validates an access profile; used for state files and for the Access remote op. */
export function checkAccessParams(value: unknown, field = 'profile'): AccessParams {
  const p = obj(value, field);
  const flag = (key: string): boolean => bool(p, key, field);
  return {
    masterKeyBond: flag('masterKeyBond'),
    masterKeyConnect: flag('masterKeyConnect'),
    masterKeyChannel: flag('masterKeyChannel'),
    buttonBond: flag('buttonBond'),
    buttonConnect: flag('buttonConnect'),
    buttonChannel: flag('buttonChannel'),
    pinBond: flag('pinBond'),
    pinConnect: flag('pinConnect'),
    pinChannel: flag('pinChannel'),
    pinMinLength: int(p, 'pinMinLength', field, 1, PIN_MAX_LENGTH),
    pinMaxTries: int(p, 'pinMaxTries', field, 1, PIN_TRIES_MAX),
    pinExpirationSeconds: int(p, 'pinExpirationSeconds', field, 0, U32),
    buttonExpirationSeconds: int(p, 'buttonExpirationSeconds', field, 0, U32),
    masterKeyExpirationSeconds: int(p, 'masterKeyExpirationSeconds', field, 0, U32),
  };
}

export function parseKeyState(value: unknown): KeyState {
  const s = obj(value, 'state');
  if (s['format'] !== KEY_STATE_FORMAT) {
    throw new KeyStateError(KeyStateErrorCode.UnsupportedFormat, 'Unsupported key state format', {
      expected: KEY_STATE_FORMAT,
    });
  }
  const provisioning = parseProvisioning(s['provisioning']);
  const link =
    s['link'] === null
      ? null
      : { masterKey: hash(obj(s['link'], 'link')['masterKey'], 'link.masterKey') };

  let codeLock: CodeLock | null = null;
  if (s['codeLock'] !== null) {
    const c = obj(s['codeLock'], 'codeLock');
    const attemptsSet = int(c, 'attemptsSet', 'codeLock', CODE_ATTEMPTS_MIN, CODE_ATTEMPTS_MAX);
    const reason = int(
      c,
      'reason',
      'codeLock',
      CodeLockReason.FirstActivation,
      CodeLockReason.Suspension,
    );
    codeLock = {
      code: hash(c['code'], 'codeLock.code'),
      attemptsSet,
      attemptsRemain: int(c, 'attemptsRemain', 'codeLock', 0, attemptsSet),
      reason:
        reason === CodeLockReason.FirstActivation
          ? CodeLockReason.FirstActivation
          : CodeLockReason.Suspension,
    };
  }

  const profile = s['profile'] === null ? null : checkAccessParams(s['profile']);
  const p = obj(s['pin'], 'pin');
  const pin: PinState = {
    hash: p['hash'] === null ? null : hash(p['hash'], 'pin.hash'),
    attemptsRemain: int(p, 'attemptsRemain', 'pin', 0, PIN_TRIES_MAX),
    lockedByPin: bool(p, 'lockedByPin', 'pin'),
  };
  const st = obj(s['storage'], 'storage');
  const totalSize = int(st, 'totalSize', 'storage', 0, U32);
  const storage: StorageInfo = {
    totalSize,
    freeSize: int(st, 'freeSize', 'storage', 0, totalSize),
    timestamp: int(st, 'timestamp', 'storage', 0, Number.MAX_SAFE_INTEGER),
  };
  const remoteCounter = str(s, 'remoteCounter', 'state', COUNTER);
  if (BigInt(remoteCounter) > 0xffffffffffffffffn)
    throw invalid('state.remoteCounter', 'is out of range');

  // Cross-field rules a consistent firmware never breaks.
  if (
    link === null &&
    (codeLock !== null || pin.hash !== null || pin.lockedByPin || profile !== null)
  ) {
    throw invalid('state.link', 'is blank but other link data is present');
  }
  if (pin.lockedByPin !== (pin.hash !== null && pin.attemptsRemain === 0)) {
    throw invalid('pin.lockedByPin', 'does not match the attempts remaining');
  }

  return {
    format: KEY_STATE_FORMAT,
    provisioning,
    link,
    codeLock,
    pin,
    profile,
    remoteCounter,
    battery: int(s, 'battery', 'state', 0, 100),
    storage,
    licenses: parseLicenses(s['licenses']),
  };
}

/** Files written before licences existed have none: every slot free. */
function parseLicenses(value: unknown): (string | null)[] {
  if (value === undefined) return freeLicenses();
  if (!Array.isArray(value) || value.length !== LICENSE_SLOTS) {
    throw invalid('state.licenses', `is not a list of ${LICENSE_SLOTS} slots`);
  }
  return value.map((slot: unknown, i) => {
    if (slot === null) return null;
    if (typeof slot !== 'string' || slot.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(slot)) {
      throw invalid(`state.licenses[${i}]`, 'is not base64 or null');
    }
    return slot;
  });
}

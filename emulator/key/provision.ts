// Factory provisioning: gives each new key its identity (serial number, BLE
// MAC, model, versions) and its random 32-byte seal secret, writes its blank
// state file, and returns the provisioning records: the JSON a server imports
// so it can seal commands for these keys.
import { randomBytes, randomInt } from 'node:crypto';
import { basename, join } from 'node:path';
import { SEAL_SECRET_BYTES } from '../remote-channel/seal';
import { blankKeyState, type Provisioning } from './key-state';
import { KeyStateError, KeyStateErrorCode } from './key-state-error';
import {
  ensureDir,
  KeyStateStore,
  listStateFiles,
  STATE_FILE_SUFFIX,
  stateFileName,
} from './state-store';

/** What a server imports for an open-protocol key; `secret` is base64. */
export type ProvisioningRecord = Omit<Provisioning, 'secret' | 'key3'> & {
  readonly secret: string;
};

export const VIRTUAL_KEY_MODEL = 'Hideez Key 4';
export const VIRTUAL_FIRMWARE_VERSION = '1.4.0';
export const VIRTUAL_BOOTLOADER_VERSION = '1.0.2';
export const VIRTUAL_STORAGE_BYTES = 65_536;
export const MAX_PROVISION_COUNT = 1000;
const SERIAL_PREFIX = 'ST10';
const SERIAL_DIGITS = 12;

function randomSerial(): string {
  let digits = '';
  for (let i = 0; i < SERIAL_DIGITS; i++) digits += String(randomInt(10));
  return SERIAL_PREFIX + digits;
}

/** A BLE random static address: the two top bits of the first byte set. */
function randomMac(): string {
  const bytes = randomBytes(6);
  bytes[0] = (bytes[0] ?? 0) | 0xc0;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** New serial numbers and MACs, unique among themselves and against `taken` ones. */
export function newIdentities(
  count: number,
  taken: ReadonlySet<string> = new Set(),
): { readonly serialNo: string; readonly mac: string }[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PROVISION_COUNT) {
    throw new RangeError(`count must be an integer 1..${MAX_PROVISION_COUNT}`);
  }
  const used = new Set(taken);
  const fresh = (make: () => string): string => {
    let value = make();
    while (used.has(value)) value = make();
    used.add(value);
    return value;
  };
  return Array.from({ length: count }, () => ({
    serialNo: fresh(randomSerial),
    mac: fresh(randomMac),
  }));
}

/** New open-protocol identities, each with its seal secret. */
export function newProvisioning(
  count: number,
  taken: ReadonlySet<string> = new Set(),
): ProvisioningRecord[] {
  return newIdentities(count, taken).map(({ serialNo, mac }) => ({
    serialNo,
    mac,
    model: VIRTUAL_KEY_MODEL,
    firmwareVersion: VIRTUAL_FIRMWARE_VERSION,
    bootloaderVersion: VIRTUAL_BOOTLOADER_VERSION,
    secret: randomBytes(SEAL_SECRET_BYTES).toString('base64'),
  }));
}

/** The serial numbers already in `dir` (their state files' names). */
export async function takenSerials(dir: string): Promise<Set<string>> {
  const existing = await listStateFiles(dir);
  return new Set(existing.map((path) => basename(path, STATE_FILE_SUFFIX)));
}

/** Creates `count` blank keys as state files in `dir` and returns their provisioning records. */
export async function provisionKeys(
  dir: string,
  count: number,
  now = Date.now(),
): Promise<ProvisioningRecord[]> {
  await ensureDir(dir);
  const records = newProvisioning(count, await takenSerials(dir));
  for (const provisioning of records) {
    const store = new KeyStateStore(join(dir, stateFileName(provisioning.serialNo)));
    const state = blankKeyState(provisioning, {
      totalSize: VIRTUAL_STORAGE_BYTES,
      freeSize: VIRTUAL_STORAGE_BYTES,
      timestamp: Math.floor(now / 1000),
    });
    await store.save(state);
  }
  return records;
}

/** The seal secret of a provisioning record as bytes (what the server seals with). */
export function provisioningSecret(record: ProvisioningRecord): Uint8Array {
  const secret = Buffer.from(record.secret, 'base64');
  if (secret.length !== SEAL_SECRET_BYTES) {
    throw new KeyStateError(KeyStateErrorCode.Invalid, 'Provisioning secret is not 32 bytes', {
      serialNo: record.serialNo,
    });
  }
  return new Uint8Array(secret);
}

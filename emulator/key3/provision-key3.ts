// Factory provisioning of virtual Hideez Key 3s: each gets an identity (serial,
// BLE address), a root key pair and a root-key certificate signed by the test
// vendor key, and a blank state file (the same state model as every virtual key).
// What a server imports is the record without any secret: a Key 3's channel to
// the server sets up its own keys, and HES holds none per key.
import { join } from 'node:path';
import { makeRootKeyCertificate } from '../../device/key3/crypto/certificate';
import { publicKeyOf, randomPrivateKey } from '../../device/key3/crypto/ecdsa';
import { blankKeyState, type Provisioning } from '../key/key-state';
import {
  newIdentities,
  takenSerials,
  VIRTUAL_BOOTLOADER_VERSION,
  VIRTUAL_STORAGE_BYTES,
} from '../key/provision';
import { ensureDir, KeyStateStore, stateFileName } from '../key/state-store';
import { TEST_VENDOR_PRIVATE_KEY } from './test-vendor-key';

export const KEY3_MODEL = 'Hideez Key 3';
export const KEY3_FIRMWARE_VERSION = '3.5.2';

/** What a server imports for a Key 3: its identity only. */
export interface Key3ProvisioningRecord {
  readonly serialNo: string;
  readonly mac: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly bootloaderVersion: string;
  readonly family: 'key3';
}

export interface Key3ProvisionOptions {
  /** The vendor key that signs the certificates (default: the test vendor key). */
  readonly vendorPrivateKey?: Uint8Array;
  readonly now?: number;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export function newKey3Provisioning(
  count: number,
  taken: ReadonlySet<string> = new Set(),
  vendorPrivateKey: Uint8Array = TEST_VENDOR_PRIVATE_KEY,
): Provisioning[] {
  return newIdentities(count, taken).map(({ serialNo, mac }) => {
    const rootPrivateKey = randomPrivateKey();
    const certificate = makeRootKeyCertificate({
      rootPublicKey65: publicKeyOf(rootPrivateKey),
      devInfo: new TextEncoder().encode(serialNo),
      byte0: 0x01,
      vendorPrivateKey,
    });
    const provisioning: Provisioning = {
      serialNo,
      mac,
      model: KEY3_MODEL,
      firmwareVersion: KEY3_FIRMWARE_VERSION,
      bootloaderVersion: VIRTUAL_BOOTLOADER_VERSION,
      key3: { rootPrivateKey: b64(rootPrivateKey), certificate: b64(certificate) },
    };
    rootPrivateKey.fill(0);
    return provisioning;
  });
}

export const key3Record = (p: Provisioning): Key3ProvisioningRecord => ({
  serialNo: p.serialNo,
  mac: p.mac,
  model: p.model,
  firmwareVersion: p.firmwareVersion,
  bootloaderVersion: p.bootloaderVersion,
  family: 'key3',
});

/** Creates `count` blank Key 3s as state files in `dir` and returns what a server imports. */
export async function provisionKey3s(
  dir: string,
  count: number,
  options: Key3ProvisionOptions = {},
): Promise<Key3ProvisioningRecord[]> {
  await ensureDir(dir);
  const provisioned = newKey3Provisioning(count, await takenSerials(dir), options.vendorPrivateKey);
  const now = options.now ?? Date.now();
  for (const provisioning of provisioned) {
    const store = new KeyStateStore(join(dir, stateFileName(provisioning.serialNo)));
    await store.save(
      blankKeyState(provisioning, {
        totalSize: VIRTUAL_STORAGE_BYTES,
        freeSize: VIRTUAL_STORAGE_BYTES,
        timestamp: Math.floor(now / 1000),
      }),
    );
  }
  return provisioned.map(key3Record);
}

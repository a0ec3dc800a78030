// How the virtual key keeps the secrets it only ever compares (activation code,
// PIN, master key): a salted scrypt hash, compared in constant time. The cost is
// stored with each hash so tests can use a cheap cost without changing the format.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface SecretHash {
  /** base64 */
  readonly salt: string;
  /** base64, HASH_BYTES long */
  readonly hash: string;
  /** scrypt N (a power of two); r = 8, p = 1. */
  readonly cost: number;
}

export const DEFAULT_HASH_COST = 1 << 14;
export const MIN_HASH_COST = 1 << 4;
export const MAX_HASH_COST = 1 << 16;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

export const isValidHashCost = (cost: number): boolean =>
  Number.isInteger(cost) &&
  cost >= MIN_HASH_COST &&
  cost <= MAX_HASH_COST &&
  (cost & (cost - 1)) === 0;

function derive(secret: Uint8Array, salt: Uint8Array, cost: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    scrypt(
      secret,
      salt,
      HASH_BYTES,
      { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 + 1024 },
      (err, key) => (err ? reject(err) : resolve(new Uint8Array(key))),
    );
  });
}

export async function hashSecret(secret: Uint8Array, cost: number): Promise<SecretHash> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(secret, salt, cost);
  return {
    salt: salt.toString('base64'),
    hash: Buffer.from(hash).toString('base64'),
    cost,
  };
}

export async function verifySecret(secret: Uint8Array, stored: SecretHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(secret, Buffer.from(stored.salt, 'base64'), stored.cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Shape check for a stored hash (used when loading a state file). */
export function isSecretHash(value: unknown): value is SecretHash {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['salt'] === 'string' &&
    typeof v['hash'] === 'string' &&
    typeof v['cost'] === 'number' &&
    isValidHashCost(v['cost']) &&
    isBase64(v['salt'], SALT_BYTES) &&
    isBase64(v['hash'], HASH_BYTES)
  );
}

export function isBase64(text: string, bytes: number): boolean {
  return (
    /^[A-Za-z0-9+/]*={0,2}$/.test(text) &&
    Buffer.from(text, 'base64').length === bytes &&
    Buffer.from(text, 'base64').toString('base64') === text
  );
}

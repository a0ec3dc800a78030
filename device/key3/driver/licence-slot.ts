// The first free licence slot of a Hideez Key 3. How the vendor host asks the key to pick
// one is not known (reference §7), so each slot is asked (QUERYLICENSE) and the first that
// holds no licence — an error reply, or an all-zero record — is used; nothing is guessed.
import { LICENSE_SLOTS } from '../../key/key-operations';
import { queryLicense } from '../protocol/commands';
import type { Key3SecureChannel } from './secure-channel';

export async function freeLicenseSlot(
  secure: Key3SecureChannel,
  limits: { timeoutMs: number; signal?: AbortSignal },
): Promise<number | undefined> {
  for (let slot = 0; slot < LICENSE_SLOTS; slot++) {
    const reply = await secure.call(queryLicense(slot), limits);
    const empty = !reply.ok || reply.payload.every((b) => b === 0);
    if (empty) return slot;
  }
  return undefined;
}

// Every proof module, merged: a row proven in two places is a mistake, caught here.
import { PROOFS as ACCESS_PROFILE } from './access-profile';
import { PROOFS as ADMIN_REST } from './admin-rest';
import { PROOFS as HUB_CALLS } from './hub-calls';
import type { Proof, ProofMap } from './proof';
import { PROOFS as REMOTE_CHANNEL } from './remote-channel';
import { PROOFS as STATUS_RULES } from './status-rules';
import { PROOFS as VAULT_INFO } from './vault-info';

function merge(maps: readonly ProofMap[]): ReadonlyMap<string, Proof> {
  const all = new Map<string, Proof>();
  for (const map of maps) {
    for (const [id, proof] of Object.entries(map)) {
      if (all.has(id)) throw new Error(`fidelity row ${id} has two proofs`);
      all.set(id, proof);
    }
  }
  return all;
}

export const ALL_PROOFS = merge([
  ACCESS_PROFILE,
  HUB_CALLS,
  REMOTE_CHANNEL,
  STATUS_RULES,
  ADMIN_REST,
  VAULT_INFO,
]);

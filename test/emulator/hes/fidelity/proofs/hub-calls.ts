// Proofs of the catalogue rows about hub calls (see ../prove.ts). Keys are row ids; the
// proofs live by theme in the hub-calls-*.ts modules beside this one.
import { PROOFS as AUDIT } from './hub-calls-audit';
import { PROOFS as CODES } from './hub-calls-codes';
import { PROOFS as CLIENT_DTOS } from './hub-calls-dto';
import { PROOFS as REPLIES } from './hub-calls-replies';
import { PROOFS as METHODS } from './hub-calls-methods';
import { PROOFS as PROTOCOL } from './hub-calls-protocol';
import type { Proof, ProofMap } from './proof';

function merge(maps: readonly ProofMap[]): ProofMap {
  const all: Record<string, Proof> = {};
  for (const [id, proof] of maps.flatMap((map) => Object.entries(map))) {
    if (id in all) throw new Error(`fidelity row ${id} is proven twice in hub-calls`);
    all[id] = proof;
  }
  return all;
}

export const PROOFS: ProofMap = merge([PROTOCOL, METHODS, CLIENT_DTOS, REPLIES, CODES, AUDIT]);

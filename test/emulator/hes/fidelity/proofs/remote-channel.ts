// Proofs of the catalogue rows about remote-channel (see ../prove.ts). Keys are row ids.
import type { ProofMap } from './proof';

export const PROOFS: ProofMap = {};

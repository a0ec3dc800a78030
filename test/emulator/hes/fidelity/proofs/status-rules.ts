// Proofs of the catalogue rows about status-rules (see ../prove.ts). Keys are row ids.
import type { ProofMap } from './proof';
import { PROOFS as STATUS_SYNC } from './status-sync';

export const PROOFS: ProofMap = { ...STATUS_SYNC };

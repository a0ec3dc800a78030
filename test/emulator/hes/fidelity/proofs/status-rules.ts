// Proofs of the catalogue rows about status-rules (see ../prove.ts). Keys are row ids.
import type { ProofMap } from './proof';
import { PROOFS as STATUS_ADMIN } from './status-admin';
import { PROOFS as STATUS_KEYS } from './status-keys';
import { PROOFS as STATUS_SYNC } from './status-sync';
import { PROOFS as STATUS_TASKS } from './status-tasks';

export const PROOFS: ProofMap = {
  ...STATUS_SYNC,
  ...STATUS_ADMIN,
  ...STATUS_TASKS,
  ...STATUS_KEYS,
};

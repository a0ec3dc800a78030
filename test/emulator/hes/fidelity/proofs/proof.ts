// A proof of one catalogue row: a test body that fails unless the stand-in behaves as the
// row says (as HES does, or as the deliberate difference says). Each proof starts what it
// needs (stand-in-hosts.ts closes it after the test).
export type Proof = () => Promise<void> | void;

/** Proofs by row id ("1.6", "4.17", …). */
export type ProofMap = Readonly<Record<string, Proof>>;

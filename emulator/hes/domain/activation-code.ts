// Activation codes (hes-contract.md §3): 6 digits like HES, but drawn from a CSPRNG
// (HES uses a fresh System.Random). 100000–999999.
import { randomInt } from 'node:crypto';

export const ACTIVATION_CODE_ATTEMPTS = 3;

export const newActivationCode = (): string => String(randomInt(100_000, 1_000_000));

export const codeBytes = (code: string): Uint8Array => new TextEncoder().encode(code);

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessFlagsFromBits, CodeLockReason, type KeyInfo } from '../../../shared/key/key-info';
import { VAULT_STATUSES, VAULT_STATUS_REASONS } from '../../../shared/vault/vault-status';
import { deriveKeyView } from '../../../shared/view/key-view';
import {
  SERVER_CONNECTIONS,
  SERVER_ERROR_CODES,
  type ServerAnswer,
} from '../../../shared/view/server-state';
import { keyInfo } from './fixtures';
import { problemsOf } from './well-formed';

const arbKey: fc.Arbitrary<KeyInfo> = fc
  .record({
    bits: fc.integer({ min: 0, max: 0xff }),
    bootloaderMode: fc.boolean(),
    lockedByCode: fc.boolean(),
    lockedByPin: fc.boolean(),
    canUnlock: fc.boolean(),
    unlockAttemptsRemain: fc.integer({ min: 0, max: 15 }),
    pinAttemptsRemain: fc.integer({ min: 0, max: 15 }),
    minPinLength: fc.integer({ min: 4, max: 8 }),
    codeLockReason: fc.constantFrom(...Object.values(CodeLockReason)),
  })
  .map(({ bits, ...rest }) => keyInfo({ ...rest, access: accessFlagsFromBits(bits) }));

const arbStatus = fc.record(
  {
    status: fc.constantFrom(...VAULT_STATUSES),
    statusReason: fc.constantFrom(...VAULT_STATUS_REASONS),
    statusDescription: fc.string({ maxLength: 40 }),
  },
  { requiredKeys: [] },
);

const arbAnswer: fc.Arbitrary<ServerAnswer> = fc.oneof(
  fc.constant<ServerAnswer>({ kind: 'none' }),
  fc
    .tuple(fc.boolean(), arbStatus)
    .map(([needStateUpdate, s]): ServerAnswer => ({ kind: 'ok', needStateUpdate, ...s })),
  fc
    .tuple(fc.constantFrom(...SERVER_ERROR_CODES), arbStatus)
    .map(([code, s]): ServerAnswer => ({ kind: 'error', code, ...s })),
);

describe('deriveKeyView properties', () => {
  it('any key, answer and connection gives one well-formed view', () => {
    fc.assert(
      fc.property(
        fc.option(arbKey, { nil: undefined }),
        arbAnswer,
        fc.constantFrom(...SERVER_CONNECTIONS),
        (key, answer, connection) => {
          const input = { key, answer, connection };
          expect(problemsOf(input, deriveKeyView(input))).toEqual([]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the status recorded last only tells a suspension from a first activation', () => {
    const codePrompts = new Set(['suspended', 'awaitingActivation']);
    fc.assert(
      fc.property(arbKey, fc.constantFrom(...VAULT_STATUSES), (key, lastKnownStatus) => {
        const connection = { state: 'connected' } as const;
        const answer = { kind: 'ok', needStateUpdate: false } as const;
        const plain = deriveKeyView({ key, answer, connection });
        const known = deriveKeyView({ key, answer, connection, lastKnownStatus });
        if (known.kind !== plain.kind) {
          expect(codePrompts.has(known.kind) && codePrompts.has(plain.kind)).toBe(true);
        }
      }),
    );
  });
});

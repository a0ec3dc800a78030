// Every combination of the inputs' meaningful dimensions yields exactly one well-formed
// view, and the precedence rules hold across all of them.
import { describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import {
  accessFlagsFromBits,
  ACCESS_FLAG_MASK,
  AccessFlagBit,
  CodeLockReason,
  type KeyInfo,
} from '../../../shared/key/key-info';
import { VAULT_STATUSES } from '../../../shared/vault/vault-status';
import { deriveKeyView, type KeyViewInput } from '../../../shared/view/key-view';
import {
  SERVER_CONNECTIONS,
  SERVER_ERROR_CODES,
  type ServerAnswer,
} from '../../../shared/view/server-state';
import { awaitingCode, keyInfo } from './fixtures';
import { problemsOf } from './well-formed';

const ATTEMPTS = [0, 1, 3];
const CODE_LOCK_REASONS = Object.values(CodeLockReason);

/** All 64 access-flag sets × lockedByCode × lockedByPin × canUnlock × attempts × code lock reason. */
function* allKeys(): Generator<KeyInfo> {
  const bits = Object.values(AccessFlagBit);
  for (let subset = 0; subset < 1 << bits.length; subset++) {
    const mask = bits.reduce((m, bit, i) => (subset & (1 << i) ? m | bit : m), 0);
    const access = accessFlagsFromBits(mask & ACCESS_FLAG_MASK);
    for (const lockedByCode of [false, true])
      for (const lockedByPin of [false, true])
        for (const canUnlock of [false, true])
          for (const attempts of ATTEMPTS)
            for (const codeLockReason of CODE_LOCK_REASONS)
              yield keyInfo({
                access,
                lockedByCode,
                lockedByPin,
                canUnlock,
                unlockAttemptsRemain: attempts,
                pinAttemptsRemain: attempts,
                codeLockReason,
              });
  }
}
const KEYS = [...allKeys()];

const PLAIN_ANSWERS: ServerAnswer[] = [
  { kind: 'none' },
  { kind: 'ok', needStateUpdate: false },
  { kind: 'ok', needStateUpdate: true },
  ...SERVER_ERROR_CODES.map((code) => ({ kind: 'error' as const, code })),
];

function checkAll(inputs: Iterable<KeyViewInput>): { count: number; failures: string[] } {
  let count = 0;
  const failures: string[] = [];
  for (const input of inputs) {
    count++;
    const problems = problemsOf(input, deriveKeyView(input));
    if (problems.length && failures.length < 5)
      failures.push(`${JSON.stringify(input)}: ${problems.join('; ')}`);
  }
  return { count, failures };
}

describe('every input combination yields one well-formed view', () => {
  expect(KEYS.length).toBe(64 * 2 * 2 * 2 * 3 * 3);

  for (const connection of SERVER_CONNECTIONS) {
    const label =
      connection.state === 'offline' ? `offline (${connection.reason})` : connection.state;
    it(`server ${label}: every key × every answer`, () => {
      function* inputs(): Generator<KeyViewInput> {
        for (const answer of PLAIN_ANSWERS) {
          yield { key: undefined, answer, connection };
          yield { key: keyInfo({ bootloaderMode: true }), answer, connection };
          for (const key of KEYS) yield { key, answer, connection };
        }
      }
      const { count, failures } = checkAll(inputs());
      expect(failures).toEqual([]);
      expect(count).toBe(PLAIN_ANSWERS.length * (KEYS.length + 2));
    });
  }

  it('with every status this workstation may have recorded last', () => {
    const shapes: (KeyInfo | undefined)[] = [
      undefined,
      keyInfo(),
      keyInfo({ bootloaderMode: true }),
      keyInfo({ access: { linkRequired: true } }),
      awaitingCode(3),
      awaitingCode(1),
      awaitingCode(0),
      { ...awaitingCode(2), codeLockReason: CodeLockReason.Suspension },
      { ...awaitingCode(2), codeLockReason: CodeLockReason.None },
      keyInfo({ lockedByPin: true, access: { locked: true } }),
      keyInfo({ access: { locked: true } }),
      keyInfo({ access: { pinRequired: true } }),
      keyInfo({ access: { pinRequired: true, newPinRequired: true } }),
      keyInfo({ access: { buttonRequired: true } }),
    ];
    const answers: readonly ServerAnswer[] = PLAIN_ANSWERS;
    function* inputs(): Generator<KeyViewInput> {
      for (const connection of SERVER_CONNECTIONS)
        for (const answer of answers)
          for (const key of shapes)
            for (const lastKnownStatus of VAULT_STATUSES)
              yield { key, answer, connection, lastKnownStatus };
    }
    const { count, failures } = checkAll(inputs());
    expect(failures).toEqual([]);
    expect(count).toBe(
      SERVER_CONNECTIONS.length * answers.length * shapes.length * VAULT_STATUSES.length,
    );
  });
});

describe('precedence holds across every key', () => {
  const connected = { state: 'connected' } as const;

  const WITHOUT_KEY = new Set([
    'compromised',
    'wiped',
    'manuallyWiped',
    'linkedToAnotherServer',
    'wipedOnAnotherServer',
    'notAssigned',
    'unknownToServer',
    'notApproved',
    'alarm',
    'lockedByPin',
    'lockedByCode',
    'locked',
  ]);
  // One connection of each kind that changes the view (the offline reasons do not).
  const AWAY_CONNECTIONS = SERVER_CONNECTIONS.filter(
    (c) => c.state !== 'offline' || c.reason === 'unreachable',
  );
  for (const keyLink of ['disconnected', 'connecting', 'pairingRequired', 'notGenuine'] as const) {
    for (const connection of AWAY_CONNECTIONS) {
      it(`a key ${keyLink}, server ${connection.state}: only verdicts, gates and locks stay`, () => {
        // What is shown in place of what the key would say: why it is not here.
        const away = keyLink === 'connecting' ? 'reading' : keyLink;
        const failures: string[] = [];
        for (const answer of PLAIN_ANSWERS) {
          for (const key of [undefined, ...KEYS]) {
            const input = { key, answer, connection, keyLink };
            const v = deriveKeyView(input);
            const present = deriveKeyView({ key, answer, connection });
            // The view with the key when it is a lasting fact, else the "away" view. (A blank
            // key read as "not assigned" is the key's word, not the server's 611.)
            const lasting =
              WITHOUT_KEY.has(present.kind) &&
              (present.kind !== 'notAssigned' ||
                (answer.kind === 'error' &&
                  answer.code === HesErrorCode.HesDeviceNotAssignedToAnyUser));
            const expected = lasting ? present.kind : away;
            const problems = problemsOf(input, v);
            if ((v.kind !== expected || problems.length > 0) && failures.length < 5) {
              failures.push(
                `${JSON.stringify(input)}: ${v.kind} ≠ ${expected} ${problems.join('; ')}`,
              );
            }
          }
        }
        expect(failures).toEqual([]);
      });
    }
  }

  it('614 beats everything the key says', () => {
    for (const key of KEYS) {
      expect(
        deriveKeyView({ key, answer: { kind: 'error', code: 614 }, connection: connected }).kind,
      ).toBe('compromised');
    }
  });

  it('each verdict code wins over every key', () => {
    const verdicts = {
      1014: 'wiped',
      620: 'manuallyWiped',
      616: 'linkedToAnotherServer',
      611: 'notAssigned',
      607: 'unknownToServer',
    } as const;
    for (const [code, kind] of Object.entries(verdicts)) {
      for (const key of KEYS) {
        const answer: ServerAnswer = { kind: 'error', code: Number(code) };
        expect(deriveKeyView({ key, answer, connection: connected }).kind).toBe(kind);
      }
    }
  });

  it('a PIN-locked key is shown locked by PIN whatever the server says short of a verdict or gate', () => {
    const answers = PLAIN_ANSWERS.filter(
      (a) =>
        a.kind !== 'error' || ![614, 1014, 620, 616, 617, 621, 611, 607, 604, 618].includes(a.code),
    );
    for (const key of KEYS.filter((k) => k.lockedByPin)) {
      for (const answer of answers) {
        expect(deriveKeyView({ key, answer, connection: connected }).kind).toBe('lockedByPin');
      }
    }
  });

  it('a stale "ok" never makes a locked key look active', () => {
    for (const key of KEYS.filter((k) => k.lockedByCode || k.lockedByPin || k.access.locked)) {
      const kind = deriveKeyView({
        key,
        answer: { kind: 'ok', needStateUpdate: false },
        connection: connected,
      }).kind;
      expect([
        'lockedByPin',
        'lockedByCode',
        'awaitingActivation',
        'suspended',
        'locked',
      ]).toContain(kind);
    }
  });

  it('not configured: old answers are ignored', () => {
    for (const answer of PLAIN_ANSWERS) {
      expect(
        deriveKeyView({ key: keyInfo(), answer, connection: { state: 'notConfigured' } }).kind,
      ).toBe('noServer');
    }
  });

  it('HesErrorCode.Ok is never an error answer', () => {
    expect(SERVER_ERROR_CODES).not.toContain(HesErrorCode.Ok);
  });
});

import { describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { CodeLockReason } from '../../../shared/key/key-info';
import { VaultStatus } from '../../../shared/vault/vault-status';
import { deriveKeyView, type KeyViewInput } from '../../../shared/view/key-view';
import { formatMessage } from '../../../shared/view/messages';
import type { ServerAnswer, ServerConnection } from '../../../shared/view/server-state';
import { awaitingCode, keyInfo } from './fixtures';

const connected: ServerConnection = { state: 'connected' };
const offline: ServerConnection = { state: 'offline', reason: 'unreachable' };
const settled: ServerAnswer = { kind: 'ok', needStateUpdate: false };
const error = (code: KeyViewInputCode): ServerAnswer => ({ kind: 'error', code });
type KeyViewInputCode = Extract<ServerAnswer, { kind: 'error' }>['code'];
const view = (input: Partial<KeyViewInput>) =>
  deriveKeyView({ key: keyInfo(), answer: settled, connection: connected, ...input });

describe('what the user sees, situation by situation', () => {
  it('a key not read yet shows "reading"', () => {
    expect(view({ key: undefined, answer: { kind: 'none' } })).toMatchObject({
      kind: 'reading',
      severity: 'progress',
    });
  });

  it('an unplugged key that was ready says it is not connected, and offers to forget it', () => {
    expect(view({ keyLink: 'disconnected' })).toMatchObject({
      kind: 'disconnected',
      severity: 'info',
      actions: ['removeKey'],
    });
    expect(view({ key: awaitingCode(2), keyLink: 'disconnected' }).kind).toBe('disconnected');
    expect(view({ keyLink: 'connecting' }).kind).toBe('reading');
  });

  it('an unplugged key keeps its locks and the server verdicts', () => {
    expect(view({ key: awaitingCode(0), keyLink: 'disconnected' }).kind).toBe('lockedByCode');
    expect(view({ key: keyInfo({ lockedByPin: true }), keyLink: 'disconnected' }).kind).toBe(
      'lockedByPin',
    );
    expect(
      view({ answer: error(HesErrorCode.DeviceHasBeenWiped), keyLink: 'disconnected' }).kind,
    ).toBe('wiped');
  });

  it('while connecting to the server, a ready key shows the connection progress', () => {
    expect(view({ connection: { state: 'connecting' }, answer: { kind: 'none' } })).toMatchObject({
      kind: 'checking',
      messageKey: 'view.checking.connecting',
    });
  });

  it('a freshly linked key asks for its first activation code, with the attempts left', () => {
    const v = view({ key: awaitingCode(3), answer: { kind: 'ok', needStateUpdate: false } });
    expect(v).toMatchObject({ kind: 'awaitingActivation', params: { attemptsRemain: 3 } });
    expect(v.actions).toContain('enterActivationCode');
    expect(formatMessage(v.messageKey, v.params)).toContain('3 attempt');
  });

  it('after two wrong codes one attempt is left', () => {
    expect(view({ key: awaitingCode(1) })).toMatchObject({
      kind: 'awaitingActivation',
      params: { attemptsRemain: 1 },
    });
  });

  it('three wrong activation codes lock the key by code', () => {
    const v = view({ key: awaitingCode(0) });
    expect(v).toMatchObject({ kind: 'lockedByCode', actions: ['contactAdmin'] });
  });

  it('a suspended key asks for the new code', () => {
    const key = keyInfo({
      access: { locked: true },
      lockedByCode: true,
      canUnlock: true,
      unlockAttemptsRemain: 3,
      codeLockReason: CodeLockReason.Suspension,
    });
    expect(view({ key })).toMatchObject({
      kind: 'suspended',
      messageKey: 'view.suspended',
      params: { attemptsRemain: 3 },
    });
  });

  it('a key that does not say why it is code-locked is suspended if it was activated here before', () => {
    const key = { ...awaitingCode(2), codeLockReason: CodeLockReason.None };
    const answer = { kind: 'ok', needStateUpdate: false } as const;
    expect(view({ key, answer }).kind).toBe('awaitingActivation');
    expect(view({ key, answer, lastKnownStatus: VaultStatus.Reserved }).kind).toBe(
      'awaitingActivation',
    );
    const v = view({ key, answer, lastKnownStatus: VaultStatus.Active });
    expect(v).toMatchObject({ kind: 'suspended', params: { attemptsRemain: 2 } });
    expect(formatMessage(v.messageKey, v.params)).toContain('2');
  });

  it('an unlocked key with a settled server answer is active', () => {
    expect(view({})).toMatchObject({ kind: 'active', severity: 'success', actions: [] });
  });

  it('a key locked by PIN says so and sends the user to the admin', () => {
    expect(view({ key: keyInfo({ lockedByPin: true, access: { locked: true } }) })).toMatchObject({
      kind: 'lockedByPin',
    });
  });

  it('a key asking for its PIN with no PIN attempts left is shown locked by PIN', () => {
    expect(
      view({ key: keyInfo({ access: { pinRequired: true }, pinAttemptsRemain: 0 }) }),
    ).toMatchObject({
      kind: 'lockedByPin',
    });
  });

  it('611: not assigned', () => {
    expect(view({ answer: error(611) })).toMatchObject({ kind: 'notAssigned' });
  });

  it('a blank key still blank after a settled sync is not assigned', () => {
    expect(view({ key: keyInfo({ access: { linkRequired: true } }) })).toMatchObject({
      kind: 'notAssigned',
    });
  });

  it('a blank key with the server offline cannot be set up', () => {
    expect(
      view({ key: keyInfo({ access: { linkRequired: true } }), connection: offline }),
    ).toMatchObject({
      kind: 'notInitialized',
      serverNotice: { kind: 'serverUnreachable' },
      actions: ['contactAdmin', 'retry'],
    });
  });

  it('1014: the withdrawn key has been wiped', () => {
    expect(view({ answer: error(1014) })).toMatchObject({ kind: 'wiped', actions: ['removeKey'] });
  });

  it('614: compromised', () => {
    expect(view({ answer: error(614) })).toMatchObject({ kind: 'compromised', severity: 'error' });
  });

  it('616: linked to another server; 620: manually wiped; 607: unknown', () => {
    expect(view({ answer: error(616) })).toMatchObject({ kind: 'linkedToAnotherServer' });
    expect(view({ answer: error(621) })).toMatchObject({ kind: 'linkedToAnotherServer' });
    expect(view({ answer: error(620) })).toMatchObject({ kind: 'manuallyWiped' });
    expect(view({ answer: error(617) })).toMatchObject({ kind: 'wipedOnAnotherServer' });
    expect(view({ answer: error(607) })).toMatchObject({ kind: 'unknownToServer' });
  });

  it('604 or a not-approved connection: workstation not approved', () => {
    expect(view({ answer: error(604) })).toMatchObject({ kind: 'notApproved' });
    expect(view({ connection: { state: 'notApproved' }, answer: { kind: 'none' } })).toMatchObject({
      kind: 'notApproved',
    });
  });

  it('618 or an alarm connection: alarm', () => {
    expect(view({ answer: error(618) })).toMatchObject({ kind: 'alarm' });
    expect(view({ connection: { state: 'alarm' } })).toMatchObject({ kind: 'alarm' });
  });

  it('615 on an unlocked key: locked by the server', () => {
    // Only the administrator can lift it: no Try again, which could not succeed.
    expect(view({ answer: error(615) })).toMatchObject({
      kind: 'locked',
      actions: ['contactAdmin'],
    });
  });

  it('server unreachable: the key says locked, and the notice says the server is unreachable', () => {
    const v = view({
      key: keyInfo({ lockedByPin: true, access: { locked: true } }),
      connection: offline,
    });
    expect(v).toMatchObject({
      kind: 'lockedByPin',
      serverNotice: { kind: 'serverUnreachable', messageKey: 'notice.serverUnreachable' },
    });
    expect(v.actions).toContain('retry');
  });

  it('server unreachable with a ready key: status not confirmed', () => {
    expect(view({ connection: { state: 'offline', reason: 'timeout' } })).toMatchObject({
      kind: 'serverUnreachable',
      params: { reason: 'timeout' },
    });
  });

  it('offline, the activation code can still be entered on the key', () => {
    const v = view({ key: awaitingCode(3), connection: offline, answer: { kind: 'none' } });
    expect(v).toMatchObject({
      kind: 'awaitingActivation',
      serverNotice: { kind: 'serverUnreachable' },
    });
    expect(v.actions).toEqual(['enterActivationCode', 'contactAdmin', 'retry']);
  });

  it('no server configured: the key works alone and the user can set a server', () => {
    expect(view({ connection: { state: 'notConfigured' }, answer: error(614) })).toMatchObject({
      kind: 'noServer',
    });
  });

  it('PIN required with minimum length and attempts left; new PIN required with the minimum', () => {
    expect(
      view({
        key: keyInfo({ access: { pinRequired: true }, pinAttemptsRemain: 3, minPinLength: 6 }),
      }),
    ).toMatchObject({
      kind: 'pinRequired',
      params: { attemptsRemain: 3, minPinLength: 6 },
      actions: ['enterPin'],
    });
    expect(
      view({
        key: keyInfo({ access: { pinRequired: true, newPinRequired: true }, minPinLength: 4 }),
      }),
    ).toMatchObject({
      kind: 'newPinRequired',
      params: { minPinLength: 4 },
      actions: ['setPin'],
    });
  });

  it('button required', () => {
    expect(view({ key: keyInfo({ access: { buttonRequired: true } }) })).toMatchObject({
      kind: 'buttonRequired',
    });
  });

  it('bootloader mode', () => {
    expect(view({ key: keyInfo({ bootloaderMode: true }) })).toMatchObject({ kind: 'bootloader' });
  });

  it('the server asked for a status sync: updating', () => {
    expect(view({ answer: { kind: 'ok', needStateUpdate: true } })).toMatchObject({
      kind: 'checking',
      params: { phase: 'updatingStatus' },
    });
  });

  it('a transient failure offers retry; another failure shows the code', () => {
    expect(view({ answer: error(HesErrorCode.RemoteConnectionTimedOut) })).toMatchObject({
      kind: 'syncInterrupted',
      params: { code: 512 },
    });
    expect(view({ answer: error(HesErrorCode.NonHideezException) })).toMatchObject({
      kind: 'serverError',
      params: { code: 1001 },
    });
  });
});

describe('precedence', () => {
  it('compromised beats everything the key says', () => {
    for (const key of [
      awaitingCode(3),
      keyInfo({ lockedByPin: true }),
      keyInfo({ bootloaderMode: true }),
      undefined,
    ]) {
      expect(view({ key, answer: error(614) }).kind).toBe('compromised');
    }
  });

  it('a server verdict survives going offline', () => {
    expect(view({ answer: error(1014), connection: offline }).kind).toBe('wiped');
  });

  it('the key\'s own lock state beats a stale server "ok"', () => {
    expect(view({ key: keyInfo({ lockedByPin: true }), answer: settled }).kind).toBe('lockedByPin');
    expect(view({ key: awaitingCode(0), answer: { kind: 'ok', needStateUpdate: true } }).kind).toBe(
      'lockedByCode',
    );
  });

  it('a key that offers code entry beats a stale 615 (the admin has re-activated it)', () => {
    const key = { ...awaitingCode(3), codeLockReason: CodeLockReason.Suspension };
    expect(view({ key, answer: error(615) }).kind).toBe('suspended');
  });

  it('the workstation gate beats the key', () => {
    expect(view({ key: awaitingCode(3), connection: { state: 'notApproved' } }).kind).toBe(
      'notApproved',
    );
  });

  it('a pending status sync comes before the PIN prompt', () => {
    const key = keyInfo({ access: { pinRequired: true } });
    expect(view({ key, answer: { kind: 'ok', needStateUpdate: true } }).kind).toBe('checking');
    expect(view({ key, answer: settled }).kind).toBe('pinRequired');
  });

  it('out of sync: the server says Locked (615) but the key is unlocked', () => {
    const v = view({ key: keyInfo(), answer: error(615) });
    expect(v.outOfSync).toMatchObject({ reason: 'serverLockedKeyUsable', remedy: 'contactAdmin' });
  });
});

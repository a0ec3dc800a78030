import { describe, expect, it } from 'vitest';
import { detectOutOfSync } from '../../../shared/view/out-of-sync';
import { awaitingCode, keyInfo } from './fixtures';

const pinLocked = keyInfo({ lockedByPin: true, access: { locked: true } });
const blank = keyInfo({ access: { linkRequired: true } });

describe('key and server out of sync', () => {
  it('server Ready (611), key linked: only an admin can fix it', () => {
    for (const key of [keyInfo(), pinLocked, awaitingCode(2)]) {
      expect(detectOutOfSync(key, { kind: 'error', code: 611 })).toMatchObject({
        reason: 'serverReadyKeyLinked',
        serverStatus: 0,
        remedy: 'contactAdmin',
      });
    }
    expect(detectOutOfSync(blank, { kind: 'error', code: 611 })).toBeUndefined();
  });

  it('server Locked (615), key unlocked or offering code entry: only an admin can fix it', () => {
    for (const key of [keyInfo(), awaitingCode(2)]) {
      expect(detectOutOfSync(key, { kind: 'error', code: 615 })).toMatchObject({
        reason: 'serverLockedKeyUsable',
        remedy: 'contactAdmin',
      });
    }
    expect(detectOutOfSync(pinLocked, { kind: 'error', code: 615 })).toBeUndefined();
    expect(detectOutOfSync(awaitingCode(0), { kind: 'error', code: 615 })).toBeUndefined();
  });

  it('an Ok answer, another code, an unknown side or a bootloader key is not out of sync', () => {
    // HES sends no status: an Ok answer is consistent with the key by its own rule.
    expect(detectOutOfSync(pinLocked, { kind: 'ok', needStateUpdate: true })).toBeUndefined();
    expect(detectOutOfSync(keyInfo(), { kind: 'ok', needStateUpdate: false })).toBeUndefined();
    expect(detectOutOfSync(pinLocked, { kind: 'error', code: 614 })).toBeUndefined();
    expect(detectOutOfSync(keyInfo(), { kind: 'error', code: 1001 })).toBeUndefined();
    expect(detectOutOfSync(undefined, { kind: 'error', code: 611 })).toBeUndefined();
    expect(
      detectOutOfSync(keyInfo({ bootloaderMode: true }), { kind: 'error', code: 611 }),
    ).toBeUndefined();
  });
});

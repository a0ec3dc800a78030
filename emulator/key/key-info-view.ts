// The key's persistent state and session seen as the GetInfo reply (KeyInfo).
// One function, so the invariants hold everywhere: canUnlock = lockedByCode &&
// attempts remain; access.locked = lockedByCode || lockedByPin.
import { MAX_MESSAGE_SIZE } from '../../device/protocol/ctaphid';
import { CodeLockReason, type AccessFlags, type KeyInfo } from '../../shared/key/key-info';
import { DEFAULT_PIN_MIN_LENGTH, type KeyState } from './key-state';
import { isFresh, type KeySession } from './key-session';

/** 57 + 128 × 59 = 7609: one CTAPHID init packet and 128 continuations. */
export const KEY_MAX_MESSAGE_SIZE = MAX_MESSAGE_SIZE;

export function accessFlags(state: KeyState, session: KeySession, now: number): AccessFlags {
  const linked = state.link !== null;
  const lockedByCode = state.codeLock !== null;
  const locked = lockedByCode || state.pin.lockedByPin;
  const p = state.profile;
  // Requirements apply to a linked, unlocked key; while locked only `locked` matters.
  const usable = linked && !locked && p !== null;
  const wantsPin = p !== null && (p.pinBond || p.pinConnect || p.pinChannel);
  return {
    linkRequired: !linked,
    newPinRequired: usable && wantsPin && state.pin.hash === null,
    pinRequired:
      usable && p.pinConnect && !isFresh(session.pinVerifiedAt, now, p.pinExpirationSeconds),
    buttonRequired:
      usable &&
      p.buttonConnect &&
      !isFresh(session.buttonConfirmedAt, now, p.buttonExpirationSeconds),
    masterKeyRequired:
      usable &&
      p.masterKeyConnect &&
      !isFresh(session.masterKeyCheckedAt, now, p.masterKeyExpirationSeconds),
    locked,
  };
}

export function keyInfo(state: KeyState, session: KeySession, now: number): KeyInfo {
  const { provisioning: prov, codeLock, pin } = state;
  const lockedByCode = codeLock !== null;
  const unlockAttemptsRemain = codeLock?.attemptsRemain ?? 0;
  return {
    serialNo: prov.serialNo,
    mac: prov.mac,
    model: prov.model,
    firmwareVersion: prov.firmwareVersion,
    bootloaderVersion: prov.bootloaderVersion,
    bootloaderMode: false,
    battery: state.battery,
    storageTotalSize: state.storage.totalSize,
    storageFreeSize: state.storage.freeSize,
    storageTimestamp: state.storage.timestamp,
    access: accessFlags(state, session, now),
    lockedByCode,
    lockedByPin: pin.lockedByPin,
    canUnlock: lockedByCode && unlockAttemptsRemain > 0,
    unlockAttemptsRemain,
    pinAttemptsRemain: pin.attemptsRemain,
    minPinLength: state.profile?.pinMinLength ?? DEFAULT_PIN_MIN_LENGTH,
    codeLockReason: codeLock?.reason ?? CodeLockReason.None,
    maxMessageSize: KEY_MAX_MESSAGE_SIZE,
    pinSet: pin.hash !== null,
  };
}

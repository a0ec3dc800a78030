// What `npm run key -- show` prints for a key: everything an operator may see,
// and by construction nothing secret (no seal secret, no Key 3 root key, no hashes of
// the master key, activation code or PIN).
import type { AccessFlags, CodeLockReason } from '../../shared/key/key-info';
import type { AccessParams } from '../remote-channel/ops';
import { keyInfo } from './key-info-view';
import type { KeyState } from './key-state';

export interface KeyReport {
  /** Which protocol the key speaks: our open protocol, or the Hideez Key 3's. */
  readonly family: 'open' | 'key3';
  readonly serialNo: string;
  readonly mac: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly bootloaderVersion: string;
  readonly linked: boolean;
  readonly access: AccessFlags;
  readonly lockedByCode: boolean;
  readonly codeLockReason: CodeLockReason;
  readonly unlockAttemptsRemain: number;
  readonly unlockAttemptsSet: number;
  readonly pinSet: boolean;
  readonly lockedByPin: boolean;
  readonly pinAttemptsRemain: number;
  readonly profile: AccessParams | null;
  readonly remoteCounter: string;
  readonly battery: number;
  readonly storage: {
    readonly totalSize: number;
    readonly freeSize: number;
    readonly timestamp: number;
  };
}

export function keyReport(state: KeyState, now: number): KeyReport {
  // A fresh session: what the key reports right after it is plugged in.
  const info = keyInfo(state, {}, now);
  return {
    family: state.provisioning.key3 === undefined ? 'open' : 'key3',
    serialNo: info.serialNo,
    mac: info.mac,
    model: info.model,
    firmwareVersion: info.firmwareVersion,
    bootloaderVersion: info.bootloaderVersion,
    linked: state.link !== null,
    access: info.access,
    lockedByCode: info.lockedByCode,
    codeLockReason: info.codeLockReason,
    unlockAttemptsRemain: info.unlockAttemptsRemain,
    unlockAttemptsSet: state.codeLock?.attemptsSet ?? 0,
    pinSet: state.pin.hash !== null,
    lockedByPin: info.lockedByPin,
    pinAttemptsRemain: info.pinAttemptsRemain,
    profile: state.profile,
    remoteCounter: state.remoteCounter,
    battery: state.battery,
    storage: { ...state.storage },
  };
}

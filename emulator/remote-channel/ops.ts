// The operations the server runs on a key over the sealed remote channel
// (channel 4, docs/protocol.md §7). Decoded forms: the server seals them, the
// companion relays the sealed bytes without being able to read or forge them,
// and the key opens and executes them. Mirrors the HES SDK's Link,
// LockDeviceCode, Access, Wipe, CheckPassphrase and RefreshDeviceInfo.
import type { DeviceErrorCode } from '../../shared/errors/device-error-code';
import type { KeyInfo } from '../../shared/key/key-info';

export const RemoteOpCode = {
  GetState: 0x01,
  Link: 0x02,
  LockDeviceCode: 0x03,
  Access: 0x04,
  Wipe: 0x05,
  CheckPassphrase: 0x06,
} as const;
export type RemoteOpCode = (typeof RemoteOpCode)[keyof typeof RemoteOpCode];

/** The access profile the server writes with Access (HES AccessParams, hes-contract.md §1.4). */
export interface AccessParams {
  readonly masterKeyBond: boolean;
  readonly masterKeyConnect: boolean;
  readonly masterKeyChannel: boolean;
  readonly buttonBond: boolean;
  readonly buttonConnect: boolean;
  readonly buttonChannel: boolean;
  readonly pinBond: boolean;
  readonly pinConnect: boolean;
  readonly pinChannel: boolean;
  readonly pinMinLength: number;
  readonly pinMaxTries: number;
  readonly pinExpirationSeconds: number;
  readonly buttonExpirationSeconds: number;
  readonly masterKeyExpirationSeconds: number;
}

export type RemoteOp =
  | { readonly op: typeof RemoteOpCode.GetState }
  /** Link a blank key: store the master key and lock it by the activation code. */
  | {
      readonly op: typeof RemoteOpCode.Link;
      readonly masterKey: Uint8Array;
      readonly code: Uint8Array;
      readonly attempts: number;
    }
  /** Re-lock a linked key by a new activation code (suspension, re-activation). */
  | {
      readonly op: typeof RemoteOpCode.LockDeviceCode;
      readonly masterKey: Uint8Array;
      readonly code: Uint8Array;
      readonly attempts: number;
    }
  | {
      readonly op: typeof RemoteOpCode.Access;
      /** Unix seconds, the server's clock. */
      readonly time: number;
      readonly masterKey: Uint8Array;
      readonly profile: AccessParams;
    }
  | { readonly op: typeof RemoteOpCode.Wipe; readonly masterKey: Uint8Array }
  | { readonly op: typeof RemoteOpCode.CheckPassphrase; readonly masterKey: Uint8Array };

export type RemoteReply =
  | { readonly status: typeof DeviceErrorCode.OK; readonly info: KeyInfo }
  | {
      readonly status: Exclude<DeviceErrorCode, typeof DeviceErrorCode.OK>;
      /** With ERR_REPLAY: the last counter the key accepted, so the server can move past it. */
      readonly lastCounter?: bigint;
    };

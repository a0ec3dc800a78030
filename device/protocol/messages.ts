// The message layer shared by both links (docs/protocol.md §4–§6): a request is a
// command byte followed by a CBOR map with integer keys; a response is a status
// byte (shared/errors/device-error-code.ts) followed by an optional CBOR map; an
// event is an event byte followed by a CBOR map. These are the decoded forms; the
// codec (message-codec.ts) maps them to and from bytes.
import type { DeviceErrorCode } from '../../shared/errors/device-error-code';
import type { KeyInfo } from '../../shared/key/key-info';

export const Command = {
  GetInfo: 0x01,
  UnlockWithCode: 0x02,
  EnterPin: 0x03,
  SetPin: 0x04,
  WaitButton: 0x05,
  RemoteCommand: 0x06,
  /** A licence blob from the server into a slot (hideez-client-behaviour.md §1.4). */
  LoadLicense: 0x07,
  /**
   * The server's channel check (docs/protocol.md §5.8): proves the key holds its
   * provisioning secret and tells its last accepted counter. Changes nothing.
   */
  VerifyChannel: 0x08,
} as const;
export type Command = (typeof Command)[keyof typeof Command];

export const KeyEvent = {
  ButtonPressed: 0x01,
  /** A long press: the user cancels what the key is doing. */
  LongPress: 0x02,
  Battery: 0x03,
  AccessChanged: 0x04,
} as const;
export type KeyEvent = (typeof KeyEvent)[keyof typeof KeyEvent];

export type Request =
  | { readonly command: typeof Command.GetInfo }
  /** code: the activation code's digits as ASCII bytes (6–8 bytes). */
  | { readonly command: typeof Command.UnlockWithCode; readonly code: Uint8Array }
  | { readonly command: typeof Command.EnterPin; readonly pin: Uint8Array }
  /** Without oldPin: set the first PIN (newPinRequired). With oldPin: change it. */
  | {
      readonly command: typeof Command.SetPin;
      readonly newPin: Uint8Array;
      readonly oldPin?: Uint8Array;
    }
  | { readonly command: typeof Command.WaitButton; readonly timeoutMs: number }
  /** sealed: an opaque buffer from the server for the remote channel (channel 4). */
  | {
      readonly command: typeof Command.RemoteCommand;
      readonly channel: number;
      readonly sealed: Uint8Array;
    }
  /** Without slot: the first free one (refused while the key is locked); with slot: that one. */
  | {
      readonly command: typeof Command.LoadLicense;
      readonly data: Uint8Array;
      readonly slot?: number;
    }
  /** nonce: the server's fresh challenge (16–64 bytes) for its channel. */
  | {
      readonly command: typeof Command.VerifyChannel;
      readonly channel: number;
      readonly nonce: Uint8Array;
    };

export type Response =
  | {
      readonly command: typeof Command.GetInfo;
      readonly status: typeof DeviceErrorCode.OK;
      readonly info: KeyInfo;
    }
  | {
      readonly command: typeof Command.RemoteCommand;
      readonly status: typeof DeviceErrorCode.OK;
      readonly sealed: Uint8Array;
    }
  /** verifyReply: the key's proof for the server, opaque to the host (passed on untouched). */
  | {
      readonly command: typeof Command.VerifyChannel;
      readonly status: typeof DeviceErrorCode.OK;
      readonly verifyReply: Uint8Array;
    }
  | {
      readonly command: Exclude<Command, CommandWithBody>;
      readonly status: typeof DeviceErrorCode.OK;
    }
  /**
   * Any command can fail. Wrong codes and PINs carry the attempts left so the
   * host can say so without another round trip.
   */
  | {
      readonly command: Command;
      readonly status: Exclude<DeviceErrorCode, typeof DeviceErrorCode.OK>;
      readonly attemptsRemain?: number;
    };

/** The commands whose OK response carries a map. */
export type CommandWithBody =
  typeof Command.GetInfo | typeof Command.RemoteCommand | typeof Command.VerifyChannel;

export type Event =
  | { readonly event: typeof KeyEvent.ButtonPressed; readonly presses: number }
  | { readonly event: typeof KeyEvent.LongPress }
  | { readonly event: typeof KeyEvent.Battery; readonly battery: number }
  | {
      readonly event: typeof KeyEvent.AccessChanged;
      /** AccessFlagBit bits */
      readonly accessBits: number;
      readonly lockedByCode: boolean;
      readonly lockedByPin: boolean;
      /** The rest of the lock state (keys 4–8); absent from keys that send only the flags. */
      readonly lockDetail?: LockDetail;
    };

/** What AccessChanged carries besides the flags, so a host need not read GetInfo after it. */
export interface LockDetail {
  readonly canUnlock: boolean;
  readonly unlockAttemptsRemain: number;
  readonly pinAttemptsRemain: number;
  /** CodeLockReason */
  readonly codeLockReason: number;
  readonly pinSet?: boolean;
}

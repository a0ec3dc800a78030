// What the workflow asks of a key, whatever its family (our open protocol or a
// Hideez Key 3): the seam between the workflow and the key drivers. Each driver
// turns an operation into its own wire exchange(s) and its answer back into a
// KeyAnswer, with the key's refusals mapped into the one status catalogue
// (shared/errors/device-error-code.ts). Codes and PINs are bytes the driver sends
// and forgets; they never go into an answer, an error or a log.
import type { DeviceErrorCode } from '../../shared/errors/device-error-code';
import type { KeyInfo } from '../../shared/key/key-info';

/** A key holds this many licences (slots 0–7), whatever its family (§1.4: the firmware's 8 slots). */
export const LICENSE_SLOTS = 8;
/** The largest licence blob a key takes. */
export const LICENSE_MAX_BYTES = 1024;

export const KeyOp = {
  /** The key's whole state: identity, versions, locks, attempts, access flags, battery. */
  ReadInfo: 'readInfo',
  /** Activation code (6–8 ASCII digits). Wrong: ERR_PIN_WRONG + attempts left; the last: ERR_DEVICE_LOCKED_BY_CODE. */
  UnlockWithCode: 'unlockWithCode',
  /** Wrong: ERR_PIN_WRONG + attempts left; the last: ERR_DEVICE_LOCKED_BY_PIN. */
  EnterPin: 'enterPin',
  /** Without oldPin: the first PIN (the key asks for a new one). With oldPin: change it. */
  SetPin: 'setPin',
  /** Waits for a press of the key's button; a long press cancels (ERR_OPERATION_CANCELED). */
  WaitButton: 'waitButton',
  /** A licence blob from the server into a slot (hideez-client-behaviour.md §1.4). */
  LoadLicense: 'loadLicense',
  /** One step of the server's own channel to the key, relayed untouched (ServerChannelRequest). */
  ServerChannel: 'serverChannel',
} as const;
export type KeyOp = (typeof KeyOp)[keyof typeof KeyOp];

/**
 * The server's channel to the key (HES's channel 4): the server speaks the key's
 * protocol end to end and the companion only moves the bytes. `message` carries one
 * whole channel message as the server built it (sealed or encrypted); the other kinds
 * are the set-up steps a family's channel has (Key 3: RESET, VERIFY, the root-key
 * certificate). A family whose channel lacks a step answers ERR_UNSUPPORTED.
 */
export type ServerChannelRequest =
  | { readonly kind: 'reset' }
  | { readonly kind: 'verify'; readonly publicKey: Uint8Array; readonly nonce: Uint8Array }
  | { readonly kind: 'rootKey' }
  | { readonly kind: 'message'; readonly data: Uint8Array }
  | { readonly kind: 'control'; readonly data: Uint8Array };

export type KeyOperation =
  | { readonly op: typeof KeyOp.ReadInfo }
  /** code: the activation code's digits as ASCII bytes. */
  | { readonly op: typeof KeyOp.UnlockWithCode; readonly code: Uint8Array }
  | { readonly op: typeof KeyOp.EnterPin; readonly pin: Uint8Array }
  | {
      readonly op: typeof KeyOp.SetPin;
      readonly newPin: Uint8Array;
      readonly oldPin?: Uint8Array;
    }
  | { readonly op: typeof KeyOp.WaitButton; readonly timeoutMs: number }
  /** Without slot: the first free one (refused while the key is locked); with slot: that one. */
  | { readonly op: typeof KeyOp.LoadLicense; readonly data: Uint8Array; readonly slot?: number }
  | {
      readonly op: typeof KeyOp.ServerChannel;
      /** The channel the server named (HES: 4); never assumed by the companion. */
      readonly channel: number;
      readonly request: ServerChannelRequest;
    };

export type KeyAnswer =
  | { readonly op: typeof KeyOp.ReadInfo; readonly status: OK; readonly info: KeyInfo }
  /** The key's reply to a server-channel step, untouched (empty for a reset). */
  | { readonly op: typeof KeyOp.ServerChannel; readonly status: OK; readonly reply: Uint8Array }
  | {
      readonly op: Exclude<KeyOp, typeof KeyOp.ReadInfo | typeof KeyOp.ServerChannel>;
      readonly status: OK;
    }
  /**
   * Any operation can be refused. Wrong codes and PINs carry the attempts left so the
   * workflow can say so without asking the key again.
   */
  | {
      readonly op: KeyOp;
      readonly status: Exclude<DeviceErrorCode, OK>;
      readonly attemptsRemain?: number;
    };

/** DeviceErrorCode.OK, as a type. */
type OK = typeof DeviceErrorCode.OK;

/** The name of an operation for diagnostics (never its contents). */
export const operationLabel = (operation: KeyOperation): string =>
  operation.op === KeyOp.ServerChannel ? `${operation.op}.${operation.request.kind}` : operation.op;

// What the renderer sees: plain data only (no functions, no secrets). Main builds
// an AppSnapshot from the workflow's state and pushes it as the 'snapshot' event;
// the renderer draws it. Activation codes and PINs never appear here.
import type { VaultStatus, VaultStatusReason } from '../vault/vault-status';
import type { KeyView } from '../view/key-view';
import type { ServerConnection } from '../view/server-state';

/** Where one key's connection flow stands (hideez-client-behaviour.md §1–§4). */
export type FlowStep =
  | 'connecting'
  | 'reading'
  | 'reporting'
  | 'updatingStatus'
  | 'awaitingActivationCode'
  | 'verifyingCode'
  | 'authorizing'
  | 'syncingAccounts'
  | 'awaitingNewPin'
  | 'awaitingPin'
  | 'verifyingPin'
  | 'awaitingButton'
  | 'online'
  | 'stopped';

/** What the flow is waiting for the user to do; `lastResult` explains the previous attempt. */
export type Prompt =
  | {
      kind: 'activationCode';
      attemptsRemain: number;
      reason: 'firstActivation' | 'suspension';
      lastResult?: 'wrong' | 'tooShort' | 'tooLong';
    }
  | {
      kind: 'newPin';
      minLength: number;
      maxLength: number;
      lastResult?: 'tooShort' | 'tooLong' | 'mismatch';
    }
  | {
      kind: 'pin';
      attemptsRemain: number;
      minLength: number;
      maxLength: number;
      lastResult?: 'wrong';
    }
  | { kind: 'button' };

/** One status change the companion observed for a key (the local history). */
export interface HistoryEntry {
  time: string;
  from: VaultStatus | null;
  to: VaultStatus;
  reason: VaultStatusReason | null;
  source: 'server' | 'key';
}

export interface KeySnapshot {
  serialNo: string;
  name: string;
  link?: 'usb' | 'ble';
  rssi?: number;
  connection: 'connecting' | 'connected' | 'disconnected';
  battery?: number;
  firmwareVersion?: string;
  /** The key's minimum PIN length, from its last report (for Change PIN). */
  minPinLength?: number;
  /**
   * Whether the key holds a PIN, as far as the companion knows: from the key's report, or
   * learned (its PIN prompts, a PIN command's answer). Absent: not known (shared/view/pin-action.ts).
   */
  pin?: 'set' | 'notSet';
  ownerName?: string;
  ownerEmail?: string;
  lastSync?: string;
  step: FlowStep;
  prompt?: Prompt;
  view: KeyView;
  /** The vault status HES holds, as far as its answers and the key prove it (server-status.ts). */
  serverStatus?: VaultStatus;
  history: readonly HistoryEntry[];
  error?: { code: string | number; message: string };
}

/**
 * Whether a kind of link can be used on this machine: the `state` of device/'s
 * LinkAvailability, restated here because shared/ imports only shared/.
 */
export type LinkState =
  'ready' | 'unavailable' | 'unsupported' | 'unauthorized' | 'poweredOff' | 'resetting' | 'unknown';

export interface AppSnapshot {
  server: { connection: ServerConnection; url?: string };
  links: { usb: LinkState; ble: LinkState; bleDetail?: string };
  keys: readonly KeySnapshot[];
}

// The two server-side inputs of the view: the last answer HES gave about this key,
// and the state of the connection to HES. Small typed summaries the workflow fills
// in. HES never sends the vault status (§2.6); server-status.ts reads it from these.
import { HesErrorCode } from '../errors/hes-error-code';

/** Any HideezErrorCode but Ok: an Ok answer is the `ok` variant. */
export type ServerErrorCode = Exclude<HesErrorCode, typeof HesErrorCode.Ok>;

export type ServerAnswer =
  /** Nothing asked or answered about this key yet (in this connection). */
  | { readonly kind: 'none' }
  /** The HwVaultInfoFromHesDto reply. */
  | { readonly kind: 'ok'; readonly needStateUpdate: boolean }
  /** A failed call, with the code from the {code, message, data} envelope. */
  /**
   * `code`: a ServerErrorCode, or a code this version does not list (a newer HES), kept as
   * the server sent it.
   */
  | { readonly kind: 'error'; readonly code: number };

export const OfflineReason = {
  /** The address does not answer (DNS, refused, TLS). */
  Unreachable: 'unreachable',
  /** It answered, then the connection dropped. */
  ConnectionLost: 'connectionLost',
  Timeout: 'timeout',
} as const;
export type OfflineReason = (typeof OfflineReason)[keyof typeof OfflineReason];
export const OFFLINE_REASONS: readonly OfflineReason[] = Object.values(OfflineReason);

export type ServerConnection =
  | { readonly state: 'notConfigured' }
  | { readonly state: 'connecting' }
  | { readonly state: 'connected' }
  /** The gate answered 604: this workstation is not approved in HES. */
  | { readonly state: 'notApproved' }
  /** The gate answered 618: an admin turned the alarm on. */
  | { readonly state: 'alarm' }
  | { readonly state: 'offline'; readonly reason: OfflineReason };
export type ServerConnectionState = ServerConnection['state'];

/** Every connection value, for tests and docs. */
export const SERVER_CONNECTIONS: readonly ServerConnection[] = [
  { state: 'notConfigured' },
  { state: 'connecting' },
  { state: 'connected' },
  { state: 'notApproved' },
  { state: 'alarm' },
  ...OFFLINE_REASONS.map((reason) => ({ state: 'offline' as const, reason })),
];

/** The HideezErrorCodes the companion can meet from HES or its own SDK layer (hes-contract.md §4.3). */
export const SERVER_ERROR_CODES: readonly ServerErrorCode[] = (
  Object.values(HesErrorCode) as HesErrorCode[]
).filter((code): code is ServerErrorCode => code !== HesErrorCode.Ok);

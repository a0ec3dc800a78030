// What the user should see for one key: ONE pure function from the key's own
// report, the server's last answer and the connection state. The rules are a
// fixed precedence (the order of VIEW_KINDS in view-kind.ts):
//   1. server verdicts on the key itself (compromised beats everything the key says)
//   2. workstation gates (not approved, alarm): nothing can reach the server
//   3. "not read yet", then bootloader mode
//   4. the key's own lock state (it beats a stale server "ok", and a key offering
//      code entry beats a stale 615)
//   5. the server still working (connecting, waiting, status sync asked for)
//   6. a failed server call
//   7. a blank key, then PIN / new PIN / button
//   8. ready: confirmed (active), server offline, or no server
// A key needing its master key is not a user matter (the server's AuthHwVault
// answers it), so masterKeyRequired does not change the view. The client's own
// codes 1026–1028 carry no server verdict: the key's fresher flags decide.
import { HesErrorCode } from '../errors/hes-error-code';
import type { KeyInfo } from '../key/key-info';
import { codeAttemptsLeft } from '../vault/observed-key-state';
import { VaultStatus } from '../vault/vault-status';
import type { MessageKey } from './messages';
import { detectOutOfSync, type OutOfSync } from './out-of-sync';
import { isSuspension, statusFromCode } from './server-status';
import type {
  OfflineReason,
  ServerAnswer,
  ServerConnection,
  ServerErrorCode,
} from './server-state';
import {
  NOTICE_ACTIONS,
  NOTICE_MESSAGES,
  VIEW_KINDS,
  type ServerNotice,
  type Severity,
  type ViewAction,
  type ViewKind,
  type ViewKindInfo,
} from './view-kind';

export interface KeyViewInput {
  /** The key's GetInfo report (the last one read, for a key that is gone); undefined until read. */
  readonly key: KeyInfo | undefined;
  readonly answer: ServerAnswer;
  readonly connection: ServerConnection;
  /**
   * Whether the key is here now; default 'connected'. An absent key's last report only
   * proves its locks. 'pairingRequired' / 'notGenuine': the key was found but could not be
   * opened (it wants Bluetooth pairing; it failed the vendor's authenticity check).
   */
  readonly keyLink?: KeyLinkState;
  /**
   * The last vault status this workstation recorded for the key (its local history), which
   * tells a suspension's code lock from a first activation's on a key that does not say.
   */
  readonly lastKnownStatus?: VaultStatus;
}

export type KeyLinkState =
  'connected' | 'connecting' | 'disconnected' | 'pairingRequired' | 'notGenuine';

type NoParams = Readonly<Record<string, never>>;
/** The parameters each view kind carries (what its messages and screens need). */
export interface ViewParamsByKind {
  compromised: NoParams;
  wiped: NoParams;
  manuallyWiped: NoParams;
  linkedToAnotherServer: NoParams;
  wipedOnAnotherServer: NoParams;
  notAssigned: NoParams;
  unknownToServer: NoParams;
  notApproved: NoParams;
  alarm: NoParams;
  notGenuine: NoParams;
  pairingRequired: NoParams;
  disconnected: NoParams;
  bootloader: NoParams;
  reading: NoParams;
  lockedByPin: NoParams;
  lockedByCode: NoParams;
  suspended: { readonly attemptsRemain: number };
  awaitingActivation: { readonly attemptsRemain: number };
  locked: NoParams;
  checking: { readonly phase: 'connecting' | 'reporting' | 'updatingStatus' };
  syncInterrupted: { readonly code: ServerErrorCode };
  /** Any code but the sync-interrupting ones, a code this version does not list included. */
  serverError: { readonly code: number };
  notInitialized: NoParams;
  newPinRequired: { readonly minPinLength: number };
  pinRequired: { readonly attemptsRemain: number; readonly minPinLength: number };
  buttonRequired: NoParams;
  serverUnreachable: { readonly reason: OfflineReason };
  noServer: NoParams;
  active: NoParams;
}

export interface ViewNotice {
  readonly kind: ServerNotice;
  readonly messageKey: MessageKey;
}

export type KeyView = {
  [K in ViewKind]: {
    readonly kind: K;
    readonly messageKey: MessageKey;
    readonly params: ViewParamsByKind[K];
    readonly severity: Severity;
    readonly actions: readonly ViewAction[];
    /** Set on views derived from the key alone when the server cannot confirm them. */
    readonly serverNotice?: ViewNotice;
    /** Set when the key contradicts the server's status (see out-of-sync.ts). */
    readonly outOfSync?: OutOfSync;
  };
}[ViewKind];

/**
 * How each HideezErrorCode in a server answer counts. `null`: says nothing about the key's status
 * (the client's own prompt timeout, and its lock codes, which the key's fresher flags already say).
 */
export const SERVER_CODE_VIEWS: Readonly<Record<ServerErrorCode, ViewKind | null>> = {
  [HesErrorCode.DeviceNotConnectedToAnyHost]: 'syncInterrupted',
  [HesErrorCode.RemoteConnectionTimedOut]: 'syncInterrupted',
  [HesErrorCode.HesUnknownError]: 'serverError',
  [HesErrorCode.HesNotConnected]: 'syncInterrupted',
  [HesErrorCode.HesVerificationFailed]: 'serverError',
  [HesErrorCode.HesConnectionNotInitialized]: 'serverError',
  [HesErrorCode.HesWorkstationNotApproved]: 'notApproved',
  [HesErrorCode.HesFailedEstablishRemoteDeviceConnection]: 'syncInterrupted',
  [HesErrorCode.HesDeviceNotFound]: 'unknownToServer',
  [HesErrorCode.HesEmptyDeviceAccessProfile]: 'serverError',
  [HesErrorCode.HesEmptyMasterKey]: 'serverError',
  [HesErrorCode.HesDeviceAuthorizationFailed]: 'serverError',
  [HesErrorCode.HesDeviceNotAssignedToAnyUser]: 'notAssigned',
  [HesErrorCode.HesDeviceHubDisconnected]: 'syncInterrupted',
  [HesErrorCode.HesAppHubDisconnected]: 'syncInterrupted',
  [HesErrorCode.HesDeviceCompromised]: 'compromised',
  [HesErrorCode.HesDeviceLocked]: 'locked',
  [HesErrorCode.HesDeviceLinkedToAnotherServer]: 'linkedToAnotherServer',
  [HesErrorCode.HesDeviceWipedOnAnotherServer]: 'wipedOnAnotherServer',
  [HesErrorCode.HesAlarm]: 'alarm',
  [HesErrorCode.HesUpdatedDeviceNull]: 'serverError',
  [HesErrorCode.HesVaultWasManuallyWiped]: 'manuallyWiped',
  [HesErrorCode.HesInvalidMasterKey]: 'linkedToAnotherServer',
  [HesErrorCode.UnknownError]: 'serverError',
  [HesErrorCode.NonHideezException]: 'serverError',
  [HesErrorCode.DeviceHasBeenWiped]: 'wiped',
  [HesErrorCode.GetActivationCodeTimeout]: null,
  [HesErrorCode.DeviceIsLockedByPin]: null,
  [HesErrorCode.DeviceIsLockedByCode]: null,
};

/** Whether a HideezErrorCode is one the view catalogue knows. */
export const isServerErrorCode = (code: number): code is ServerErrorCode =>
  Object.hasOwn(SERVER_CODE_VIEWS, code);

/** Verdicts: what the server says about the key itself, in precedence order. */
export const VERDICTS = [
  'wiped',
  'manuallyWiped',
  'linkedToAnotherServer',
  'wipedOnAnotherServer',
  'notAssigned',
  'unknownToServer',
] as const satisfies readonly ViewKind[];

const NO_ANSWER: ServerAnswer = { kind: 'none' };

export function deriveKeyView(input: KeyViewInput): KeyView {
  const { key, connection } = input;
  // Without a configured server, an old answer says nothing.
  const answer = connection.state === 'notConfigured' ? NO_ANSWER : input.answer;
  // A code this version does not list is a server error, shown with its number.
  const codeView =
    answer.kind !== 'error'
      ? undefined
      : isServerErrorCode(answer.code)
        ? SERVER_CODE_VIEWS[answer.code]
        : 'serverError';
  const status = statusFromCode(answer);
  const outOfSync = detectOutOfSync(key, answer);
  const notice = noticeFor(connection);
  const make = <K extends ViewKind>(
    kind: K,
    params: ViewParamsByKind[K],
    messageKey: MessageKey = VIEW_KINDS[kind].messages[0],
  ): KeyView => {
    const info: ViewKindInfo = VIEW_KINDS[kind];
    const withNotice = info.takesNotice ? notice : undefined;
    return {
      kind,
      messageKey,
      params,
      severity: info.severity,
      actions: withNotice
        ? [...info.actions, ...NOTICE_ACTIONS[withNotice].filter((a) => !info.actions.includes(a))]
        : [...info.actions],
      ...(withNotice
        ? { serverNotice: { kind: withNotice, messageKey: NOTICE_MESSAGES[withNotice] } }
        : {}),
      ...(outOfSync ? { outOfSync } : {}),
    } as KeyView;
  };
  // 1. Server verdicts on the key.
  if (codeView === 'compromised' || status === VaultStatus.Compromised) {
    return make('compromised', {});
  }
  for (const verdict of VERDICTS) if (codeView === verdict) return make(verdict, {});

  // 2. Workstation gates.
  if (connection.state === 'notApproved' || codeView === 'notApproved')
    return make('notApproved', {});
  if (connection.state === 'alarm' || codeView === 'alarm') return make('alarm', {});

  // 3. The key cannot tell us more. A key that is not here keeps only its locks: they
  // stay true until the server changes them, whereas "ready" or "asks for its code"
  // needs the key in hand.
  const keyLink = input.keyLink ?? 'connected';
  if (keyLink !== 'connected') {
    const locked = key !== undefined && lockedView(key, codeView, status);
    if (locked) return make(locked, {});
    if (keyLink === 'connecting') return make('reading', {});
    return make(keyLink, {});
  }
  if (key === undefined) return make('reading', {});
  if (key.bootloaderMode) return make('bootloader', {});

  // 4. The key's own lock state.
  const locked = lockedView(key, codeView, status);
  if (locked) return make(locked, {});
  if (key.lockedByCode) {
    const attemptsRemain = codeAttemptsLeft(key);
    return isSuspension(key, input.lastKnownStatus)
      ? make('suspended', { attemptsRemain })
      : make('awaitingActivation', { attemptsRemain });
  }

  // 5. The server is still working on it.
  const settled = answer.kind === 'ok' && !answer.needStateUpdate;
  if (connection.state === 'connecting') {
    return make('checking', { phase: 'connecting' }, 'view.checking.connecting');
  }
  if (connection.state === 'connected' && !settled) {
    if (answer.kind === 'ok') {
      return make('checking', { phase: 'updatingStatus' }, 'view.checking.updatingStatus');
    }
    // 6. A failed call (ignored codes count as no answer yet).
    if (
      answer.kind === 'error' &&
      codeView === 'syncInterrupted' &&
      isServerErrorCode(answer.code)
    ) {
      return make('syncInterrupted', { code: answer.code });
    }
    if (answer.kind === 'error' && codeView === 'serverError') {
      return make('serverError', { code: answer.code });
    }
    return make('checking', { phase: 'reporting' }, 'view.checking.reporting');
  }

  // 7. What the key asks for.
  if (key.access.linkRequired) {
    return connection.state === 'connected' ? make('notAssigned', {}) : make('notInitialized', {});
  }
  if (key.access.newPinRequired) return make('newPinRequired', { minPinLength: key.minPinLength });
  if (key.access.pinRequired) {
    return make('pinRequired', {
      attemptsRemain: key.pinAttemptsRemain,
      minPinLength: key.minPinLength,
    });
  }
  if (key.access.buttonRequired) return make('buttonRequired', {});

  // 8. Ready.
  if (connection.state === 'offline')
    return make('serverUnreachable', { reason: connection.reason });
  if (connection.state === 'notConfigured') return make('noServer', {});
  return make('active', {});
}

/** The lock a key's report proves, if any; a code lock with attempts left is not one (step 4). */
function lockedView(
  key: KeyInfo,
  codeView: ViewKind | null | undefined,
  status: VaultStatus | undefined,
): 'lockedByPin' | 'lockedByCode' | 'locked' | undefined {
  const pinExhausted =
    key.access.pinRequired && !key.access.newPinRequired && key.pinAttemptsRemain <= 0;
  if (key.lockedByPin || pinExhausted) return 'lockedByPin';
  if (key.lockedByCode && codeAttemptsLeft(key) === 0) return 'lockedByCode';
  if (key.lockedByCode) return undefined;
  if (key.access.locked || codeView === 'locked' || status === VaultStatus.Locked) return 'locked';
  return undefined;
}

function noticeFor(connection: ServerConnection): ServerNotice | undefined {
  switch (connection.state) {
    case 'offline':
      return 'serverUnreachable';
    case 'connecting':
      return 'serverConnecting';
    case 'notConfigured':
      return 'noServer';
    default:
      return undefined;
  }
}

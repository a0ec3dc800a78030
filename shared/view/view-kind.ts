// The catalogue of what the user can be shown for a key: each view kind with its
// severity, its messages and the actions it offers, in precedence order. key-view.ts
// picks one; the renderer draws it; build/docs lists it in docs/lifecycle.md.
import type { MessageKey } from './messages';

/** What the user can do from a view. */
export const ViewAction = {
  EnterActivationCode: 'enterActivationCode',
  EnterPin: 'enterPin',
  SetPin: 'setPin',
  Retry: 'retry',
  ContactAdmin: 'contactAdmin',
  /** Forget the key on this computer (and its BLE bond). */
  RemoveKey: 'removeKey',
  ChangeServer: 'changeServer',
} as const;
export type ViewAction = (typeof ViewAction)[keyof typeof ViewAction];

export type Severity = 'progress' | 'info' | 'success' | 'warning' | 'error';

/** A line added under a key-derived view when the server cannot confirm it. */
export const ServerNotice = {
  ServerUnreachable: 'serverUnreachable',
  ServerConnecting: 'serverConnecting',
  NoServer: 'noServer',
} as const;
export type ServerNotice = (typeof ServerNotice)[keyof typeof ServerNotice];

export const NOTICE_MESSAGES: Readonly<Record<ServerNotice, MessageKey>> = {
  serverUnreachable: 'notice.serverUnreachable',
  serverConnecting: 'notice.serverConnecting',
  noServer: 'notice.noServer',
};
/** Actions a notice adds to the view's own. */
export const NOTICE_ACTIONS: Readonly<Record<ServerNotice, readonly ViewAction[]>> = {
  serverUnreachable: ['retry'],
  serverConnecting: [],
  noServer: ['changeServer'],
};

/** The line shown beside any view while the key's battery is low (shared/key/battery.ts). */
export const LOW_BATTERY_MESSAGE: MessageKey = 'notice.lowBattery';

export interface ViewKindInfo {
  readonly severity: Severity;
  /** The message keys this kind may use (one per variant). */
  readonly messages: readonly MessageKey[];
  readonly actions: readonly ViewAction[];
  /** Whether a server notice may be added (views derived from what the key says). */
  readonly takesNotice: boolean;
  /** When it is chosen, in words, for the docs. */
  readonly when: string;
}

/** In precedence order: the first kind whose condition holds is the view. */
export const VIEW_KINDS = {
  compromised: {
    severity: 'error',
    messages: ['view.compromised'],
    actions: ['contactAdmin', 'removeKey'],
    takesNotice: false,
    when: 'server answered 614, or the stand-in reports status Compromised',
  },
  wiped: {
    severity: 'info',
    messages: ['view.wiped'],
    actions: ['removeKey'],
    takesNotice: false,
    when: 'server answered 1014: the key was withdrawn and has just been wiped',
  },
  manuallyWiped: {
    severity: 'error',
    messages: ['view.manuallyWiped'],
    actions: ['contactAdmin'],
    takesNotice: false,
    when: 'server answered 620: the key is blank but the server expected it linked',
  },
  linkedToAnotherServer: {
    severity: 'error',
    messages: ['view.linkedToAnotherServer'],
    actions: ['contactAdmin', 'changeServer'],
    takesNotice: false,
    when: "server answered 616 (or 621): the key holds another server's master key",
  },
  wipedOnAnotherServer: {
    severity: 'error',
    messages: ['view.wipedOnAnotherServer'],
    actions: ['contactAdmin', 'changeServer'],
    takesNotice: false,
    when: 'server answered 617',
  },
  notAssigned: {
    severity: 'warning',
    messages: ['view.notAssigned'],
    actions: ['contactAdmin', 'retry'],
    takesNotice: false,
    when: 'server answered 611; also, later in the order (with what the key asks for), a key still blank after a settled sync',
  },
  unknownToServer: {
    severity: 'error',
    messages: ['view.unknownToServer'],
    actions: ['contactAdmin', 'changeServer'],
    takesNotice: false,
    when: 'server answered 607: it does not know this serial number',
  },
  notApproved: {
    severity: 'warning',
    messages: ['view.notApproved'],
    actions: ['contactAdmin', 'retry'],
    takesNotice: false,
    when: 'the connection is not approved, or a call answered 604',
  },
  alarm: {
    severity: 'error',
    messages: ['view.alarm'],
    actions: ['contactAdmin', 'retry'],
    takesNotice: false,
    when: 'the server has its alarm on, or a call answered 618',
  },
  notGenuine: {
    severity: 'error',
    messages: ['view.notGenuine'],
    actions: ['contactAdmin', 'removeKey'],
    takesNotice: false,
    when: 'the key failed the vendor authenticity check (certificate or channel signature): it is never used',
  },
  pairingRequired: {
    severity: 'warning',
    messages: ['view.pairingRequired'],
    actions: ['retry'],
    takesNotice: false,
    when: 'the key did not let this computer in over Bluetooth: it needs pairing (its button)',
  },
  disconnected: {
    severity: 'info',
    messages: ['view.disconnected'],
    actions: ['removeKey'],
    takesNotice: false,
    when: 'the key is not connected now and its last report shows no lock',
  },
  reading: {
    severity: 'progress',
    messages: ['view.reading'],
    actions: [],
    takesNotice: true,
    when: 'the key has not been read yet',
  },
  bootloader: {
    severity: 'error',
    messages: ['view.bootloader'],
    actions: ['contactAdmin'],
    takesNotice: true,
    when: 'the key is in bootloader mode',
  },
  lockedByPin: {
    severity: 'error',
    messages: ['view.lockedByPin'],
    actions: ['contactAdmin'],
    takesNotice: true,
    when: 'the key is locked by PIN, or needs its PIN with no PIN attempts left',
  },
  lockedByCode: {
    severity: 'error',
    messages: ['view.lockedByCode'],
    actions: ['contactAdmin'],
    takesNotice: true,
    when: 'the key is locked by an activation code with no attempts left',
  },
  suspended: {
    severity: 'warning',
    messages: ['view.suspended'],
    actions: ['enterActivationCode', 'contactAdmin'],
    takesNotice: true,
    when: 'the key waits for a new activation code (code lock reason Suspension, or the stand-in reports Suspended)',
  },
  awaitingActivation: {
    severity: 'warning',
    messages: ['view.awaitingActivation'],
    actions: ['enterActivationCode', 'contactAdmin'],
    takesNotice: true,
    when: 'the key waits for its first activation code with attempts left',
  },
  locked: {
    severity: 'error',
    messages: ['view.locked'],
    // Only the administrator can lift it; the key's state change re-runs the flow by itself.
    actions: ['contactAdmin'],
    takesNotice: true,
    when: 'the server answered 615 or reports Locked (and the key offers no code entry), or the key reports only the locked bit',
  },
  checking: {
    severity: 'progress',
    messages: [
      'view.checking.connecting',
      'view.checking.reporting',
      'view.checking.updatingStatus',
    ],
    actions: [],
    takesNotice: false,
    when: 'connecting to the server, waiting for its answer, or running the status sync it asked for',
  },
  syncInterrupted: {
    severity: 'warning',
    messages: ['view.syncInterrupted'],
    actions: ['retry'],
    takesNotice: false,
    when: 'connected, and the last call failed for a transient reason (511, 512, 601, 605, 612, 613)',
  },
  serverError: {
    severity: 'error',
    messages: ['view.serverError'],
    actions: ['retry', 'contactAdmin'],
    takesNotice: false,
    when: 'connected, and the last call failed with any other code',
  },
  notInitialized: {
    severity: 'warning',
    messages: ['view.notInitialized'],
    actions: ['contactAdmin'],
    takesNotice: true,
    when: 'the key is blank and the server is offline or not configured, so nothing can set it up',
  },
  newPinRequired: {
    severity: 'warning',
    messages: ['view.newPinRequired'],
    actions: ['setPin'],
    takesNotice: true,
    when: 'the key asks for a new PIN',
  },
  pinRequired: {
    severity: 'warning',
    messages: ['view.pinRequired'],
    actions: ['enterPin'],
    takesNotice: true,
    when: 'the key asks for its PIN and PIN attempts remain',
  },
  buttonRequired: {
    severity: 'info',
    messages: ['view.buttonRequired'],
    actions: [],
    takesNotice: true,
    when: 'the key asks for a button press',
  },
  serverUnreachable: {
    severity: 'warning',
    messages: ['view.serverUnreachable'],
    actions: ['retry', 'changeServer'],
    takesNotice: false,
    when: 'the key is unlocked and ready but the server is offline, so its status is not confirmed',
  },
  noServer: {
    severity: 'info',
    messages: ['view.noServer'],
    actions: ['changeServer'],
    takesNotice: false,
    when: 'the key is unlocked and ready and no server is configured',
  },
  active: {
    severity: 'success',
    messages: ['view.active'],
    actions: [],
    takesNotice: false,
    when: "the key is unlocked and ready and the server's last answer is a settled ok",
  },
} as const satisfies Record<string, ViewKindInfo>;

export type ViewKind = keyof typeof VIEW_KINDS;
/** Kinds in precedence order (the order of VIEW_KINDS). */
export const VIEW_KIND_ORDER: readonly ViewKind[] = Object.keys(VIEW_KINDS) as ViewKind[];
export const viewKindInfo = (kind: ViewKind): ViewKindInfo => VIEW_KINDS[kind];

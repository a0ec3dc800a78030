// The English messages of the view catalogue, keyed by messageKey. Text lives only
// here so a translation is another table of the same keys. Placeholders are
// {name}, filled from the view's params by formatMessage. A message with a count is
// written here in its plural ("other") form, its singular in COUNTED_MESSAGES; the
// renderer's catalogues hold every form each language needs (i18next plurals).

export const MESSAGES = {
  'view.reading': 'Reading your key…',
  'view.disconnected': 'Your key is not connected. Plug it in or switch it on.',
  'view.pairingRequired':
    'Your key did not let this computer in. Press its button until the light flashes blue (pairing mode) and keep it near: it connects by itself.',
  'view.notGenuine':
    'This key failed the Hideez authenticity check and is not used. Contact your administrator.',
  'view.checking.connecting': 'Connecting to the server…',
  'view.checking.reporting': 'Checking your key with the server…',
  'view.checking.updatingStatus': 'The server is updating your key. Keep it connected.',
  'view.bootloader':
    'Your key is in firmware-update mode and cannot be used. Ask your administrator to update its firmware.',
  'view.compromised':
    'This key has been reported lost or stolen and can no longer be used. Contact your administrator.',
  'view.wiped': 'This key has been returned and erased. It can now be issued to someone else.',
  'view.manuallyWiped':
    'This key was reset outside the server and must be issued to you again. Contact your administrator.',
  'view.linkedToAnotherServer':
    'This key belongs to a different server. Check the server address or contact your administrator.',
  'view.wipedOnAnotherServer':
    'This key was erased by a different server. Contact your administrator.',
  'view.notAssigned': 'This key is not issued to anyone yet. Contact your administrator.',
  'view.unknownToServer':
    'The server does not know this key. Check the server address or contact your administrator.',
  'view.notApproved':
    'This computer is waiting for approval on the server. Ask your administrator to approve it.',
  'view.alarm': 'The server has stopped all access (alarm). Contact your administrator.',
  'view.lockedByPin':
    'Your key is locked after too many wrong PINs. Ask your administrator for an activation code: this card updates by itself when they send it.',
  'view.lockedByCode':
    'Your key is locked after too many wrong activation codes. Ask your administrator for a new code: this card updates by itself when they send it.',
  'view.locked':
    'Your key was locked by your administrator on the server. Ask them to unlock it: this card updates by itself when they do.',
  'view.awaitingActivation':
    'Enter the activation code your administrator sent you. {attemptsRemain} attempts left.',
  'view.suspended':
    'Your key has been suspended. Enter the new activation code from your administrator. {attemptsRemain} attempts left.',
  'view.syncInterrupted': 'The connection to the server broke off. Try again.',
  'view.serverError': 'The server could not handle your key.',
  'view.notInitialized':
    'This key has not been set up yet and needs the server to do it. Check your network connection.',
  'view.newPinRequired': 'Choose a PIN for your key: at least {minPinLength} digits.',
  'view.pinRequired': 'Enter your key’s PIN. {attemptsRemain} attempts left.',
  'view.buttonRequired': 'Press the button on your key.',
  'view.serverUnreachable':
    'Your key is ready, but the server cannot be reached, so its status is not confirmed.',
  'view.noServer': 'Your key is ready. No server is set up, so its status is not checked.',
  'view.active': 'Your key is ready to use.',
  'notice.serverUnreachable': 'The server cannot be reached right now.',
  'notice.serverConnecting': 'Connecting to the server…',
  'notice.noServer': 'No server is set up.',
  'notice.lowBattery':
    'The battery in your key is below {percent}%. Ask your administrator to schedule a battery replacement.',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof MESSAGES;
export const MESSAGE_KEYS: readonly MessageKey[] = Object.keys(MESSAGES) as MessageKey[];
export const isMessageKey = (value: unknown): value is MessageKey =>
  typeof value === 'string' && Object.hasOwn(MESSAGES, value);

export type MessageParams = Readonly<Record<string, string | number | undefined>>;

export interface CountedMessage {
  /** The parameter that is the count (i18next's `count`). */
  readonly count: string;
  /** The English singular; MESSAGES holds the plural. */
  readonly one: string;
}

/** The messages that carry a number the words must agree with. */
export const COUNTED_MESSAGES: { readonly [K in MessageKey]?: CountedMessage } = {
  'view.awaitingActivation': {
    count: 'attemptsRemain',
    one: 'Enter the activation code your administrator sent you. {attemptsRemain} attempt left.',
  },
  'view.suspended': {
    count: 'attemptsRemain',
    one: 'Your key has been suspended. Enter the new activation code from your administrator. {attemptsRemain} attempt left.',
  },
  'view.newPinRequired': {
    count: 'minPinLength',
    one: 'Choose a PIN for your key: at least {minPinLength} digit.',
  },
  'view.pinRequired': {
    count: 'attemptsRemain',
    one: 'Enter your key’s PIN. {attemptsRemain} attempt left.',
  },
};

/** The count a message's words agree with, when it has one. */
export function messageCount(key: MessageKey, params: MessageParams): number | undefined {
  const counted = COUNTED_MESSAGES[key];
  const value = counted ? params[counted.count] : undefined;
  return typeof value === 'number' ? value : undefined;
}

/** The placeholder names a message uses. */
export const messagePlaceholders = (key: MessageKey): string[] =>
  [...(MESSAGES[key] as string).matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');

/** The English text with its placeholders filled; a missing parameter stays visible as {name}. */
export function formatMessage(key: MessageKey, params: MessageParams = {}): string {
  const one = messageCount(key, params) === 1 ? COUNTED_MESSAGES[key]?.one : undefined;
  return (one ?? MESSAGES[key]).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

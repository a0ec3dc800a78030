// The events of the message layer (docs/protocol.md §6): event byte + CBOR map,
// key → host, unsolicited. An unknown event byte is refused (a host ignores the
// event); every malformed input throws ProtocolError, nothing else.
import { type CborMap, check, decodeOptionalMap, readBool, readUint } from './cbor-map';
import { CODE_LOCK_REASONS } from './key-info-codec';
import { split, withMap } from './message-frame';
import { type Event, KeyEvent, type LockDetail } from './messages';
import { ProtocolErrorCode, protocolError } from './protocol-error';

/** CBOR keys of each event's map. */
export const EventKey = {
  ButtonPressed: { presses: 1 },
  Battery: { battery: 1 },
  AccessChanged: {
    accessBits: 1,
    lockedByCode: 2,
    lockedByPin: 3,
    canUnlock: 4,
    unlockAttemptsRemain: 5,
    pinAttemptsRemain: 6,
    codeLockReason: 7,
    pinSet: 8,
  },
} as const;

const EVENTS: ReadonlySet<number> = new Set(Object.values(KeyEvent));
export const isKeyEvent = (value: number): value is KeyEvent => EVENTS.has(value);

export function encodeEvent(event: Event): Uint8Array {
  switch (event.event) {
    case KeyEvent.ButtonPressed:
      return withMap(event.event, [
        [
          EventKey.ButtonPressed.presses,
          check.uint(event.presses, 'ButtonPressed', 'presses', 1, 255),
        ],
      ]);
    case KeyEvent.LongPress:
      return withMap(event.event, []);
    case KeyEvent.Battery:
      return withMap(event.event, [
        [EventKey.Battery.battery, check.uint(event.battery, 'Battery', 'battery', 0, 100)],
      ]);
    case KeyEvent.AccessChanged:
      return withMap(event.event, [
        [
          EventKey.AccessChanged.accessBits,
          check.uint(event.accessBits, 'AccessChanged', 'accessBits', 0, 0xff),
        ],
        [
          EventKey.AccessChanged.lockedByCode,
          check.bool(event.lockedByCode, 'AccessChanged', 'lockedByCode'),
        ],
        [
          EventKey.AccessChanged.lockedByPin,
          check.bool(event.lockedByPin, 'AccessChanged', 'lockedByPin'),
        ],
        ...(event.lockDetail ? lockDetailFields(event.lockDetail) : []),
      ]);
    default:
      return unknownEvent((event as { event: unknown }).event);
  }
}

function lockDetailFields(detail: LockDetail): [number, unknown][] {
  const what = 'AccessChanged';
  const keys = EventKey.AccessChanged;
  return [
    [keys.canUnlock, check.bool(detail.canUnlock, what, 'canUnlock')],
    [
      keys.unlockAttemptsRemain,
      check.uint(detail.unlockAttemptsRemain, what, 'unlockAttemptsRemain', 0, 255),
    ],
    [
      keys.pinAttemptsRemain,
      check.uint(detail.pinAttemptsRemain, what, 'pinAttemptsRemain', 0, 255),
    ],
    [keys.codeLockReason, codeLockReason(detail.codeLockReason)],
    ...(detail.pinSet !== undefined
      ? [[keys.pinSet, check.bool(detail.pinSet, what, 'pinSet')] as [number, unknown]]
      : []),
  ];
}

function codeLockReason(value: unknown): number {
  if (typeof value !== 'number' || !CODE_LOCK_REASONS.has(value)) {
    throw protocolError(ProtocolErrorCode.BadField, 'AccessChanged: codeLockReason is unknown', {
      field: 'codeLockReason',
    });
  }
  return value;
}

/** Keys 4–7 come together or not at all (a key that sends only the flags); 8 is optional. */
function readLockDetail(map: CborMap): LockDetail | undefined {
  const what = 'AccessChanged';
  const keys = EventKey.AccessChanged;
  const present = [
    keys.canUnlock,
    keys.unlockAttemptsRemain,
    keys.pinAttemptsRemain,
    keys.codeLockReason,
  ].filter((key) => map.has(key)).length;
  if (present === 0 && !map.has(keys.pinSet)) return undefined;
  if (present < 4) {
    throw protocolError(ProtocolErrorCode.BadField, 'AccessChanged: a partial lock state', {
      field: 'lockDetail',
    });
  }
  return {
    canUnlock: readBool(map, { what, key: keys.canUnlock, field: 'canUnlock' }),
    unlockAttemptsRemain: readUint(
      map,
      { what, key: keys.unlockAttemptsRemain, field: 'unlockAttemptsRemain' },
      0,
      255,
    ),
    pinAttemptsRemain: readUint(
      map,
      { what, key: keys.pinAttemptsRemain, field: 'pinAttemptsRemain' },
      0,
      255,
    ),
    codeLockReason: codeLockReason(map.get(keys.codeLockReason)),
    ...(map.has(keys.pinSet)
      ? { pinSet: readBool(map, { what, key: keys.pinSet, field: 'pinSet' }) }
      : {}),
  };
}

function unknownEvent(event: unknown): never {
  throw protocolError(ProtocolErrorCode.UnknownCommand, 'unknown event', {
    event: typeof event === 'number' ? event : -1,
  });
}

export function decodeEvent(bytes: Uint8Array): Event {
  const { lead: event, body } = split(bytes, 'event');
  if (!isKeyEvent(event)) unknownEvent(event);
  const map = decodeOptionalMap(body, 'event');
  switch (event) {
    case KeyEvent.ButtonPressed:
      return {
        event,
        presses: readUint(
          map,
          { what: 'ButtonPressed', key: EventKey.ButtonPressed.presses, field: 'presses' },
          1,
          255,
        ),
      };
    case KeyEvent.LongPress:
      return { event };
    case KeyEvent.Battery:
      return {
        event,
        battery: readUint(
          map,
          { what: 'Battery', key: EventKey.Battery.battery, field: 'battery' },
          0,
          100,
        ),
      };
    case KeyEvent.AccessChanged: {
      const what = 'AccessChanged';
      const keys = EventKey.AccessChanged;
      const lockDetail = readLockDetail(map);
      return {
        event,
        accessBits: readUint(map, { what, key: keys.accessBits, field: 'accessBits' }, 0, 0xff),
        lockedByCode: readBool(map, { what, key: keys.lockedByCode, field: 'lockedByCode' }),
        lockedByPin: readBool(map, { what, key: keys.lockedByPin, field: 'lockedByPin' }),
        ...(lockDetail ? { lockDetail } : {}),
      };
    }
  }
}

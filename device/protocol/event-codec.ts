// The events of the message layer (docs/protocol.md §6): event byte + CBOR map,
// key → host, unsolicited. An unknown event byte is refused (a host ignores the
// event); every malformed input throws ProtocolError, nothing else.
import { check, decodeOptionalMap, readBool, readUint } from './cbor-map';
import { split, withMap } from './message-frame';
import { type Event, KeyEvent } from './messages';
import { ProtocolErrorCode, protocolError } from './protocol-error';

/** CBOR keys of each event's map. */
export const EventKey = {
  ButtonPressed: { presses: 1 },
  Battery: { battery: 1 },
  AccessChanged: { accessBits: 1, lockedByCode: 2, lockedByPin: 3 },
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
      ]);
    default:
      return unknownEvent((event as { event: unknown }).event);
  }
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
      return {
        event,
        accessBits: readUint(map, { what, key: keys.accessBits, field: 'accessBits' }, 0, 0xff),
        lockedByCode: readBool(map, { what, key: keys.lockedByCode, field: 'lockedByCode' }),
        lockedByPin: readBool(map, { what, key: keys.lockedByPin, field: 'lockedByPin' }),
      };
    }
  }
}

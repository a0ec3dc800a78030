// Events that change what the key reported in GetInfo. Applying them at once
// keeps the UI current even while a long job (a button wait) holds the key's
// queue; AccessChanged carries only part of the picture, so the manager also
// rereads the whole KeyInfo when the queue gets to it.
import { type KeyInfo, accessFlagsFromBits } from '../../shared/key/key-info';
import { type Event, KeyEvent } from '../protocol/messages';

/** The KeyInfo after `event`, or undefined when the event does not change it. */
export function infoAfterEvent(info: KeyInfo, event: Event): KeyInfo | undefined {
  switch (event.event) {
    case KeyEvent.Battery:
      return info.battery === event.battery ? undefined : { ...info, battery: event.battery };
    case KeyEvent.AccessChanged:
      return {
        ...info,
        access: accessFlagsFromBits(event.accessBits),
        lockedByCode: event.lockedByCode,
        lockedByPin: event.lockedByPin,
      };
    default:
      return undefined;
  }
}

/** Events after which the whole KeyInfo should be read again. */
export const needsInfoRefresh = (event: Event): boolean => event.event === KeyEvent.AccessChanged;

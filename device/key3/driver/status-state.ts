// What a Key 3's STATUS packet means for the one key-state model and the button: every
// packet carries battery, the key's RSSI, PIN attempts and the other hosts; a change of our
// channel's access bits is a state change to read back in full (STATUS says "locked", not
// why); and the vendor host takes any change of the button byte as a new press.
import { accessFlagsFromBits, AccessFlagBit } from '../../../shared/key/key-info';
import type { KeyStateUpdate } from '../../key/key-events';
import type { Key3StatusPacket } from '../protocol/status';
import { COMPANION_CHANNEL } from './channels';

/** ButtonPressCode of a press (1 single … 9 multi); 0x10/0x11 are long presses (CANCEL carries those). */
const isPress = (code: number): boolean => code >= 1 && code <= 9;

/** Our channel's access bits in a STATUS. */
export const accessOf = (status: Key3StatusPacket | undefined): number | undefined =>
  status?.accessLevels[COMPANION_CHANNEL - 1];

export function stateUpdateOf(
  previous: Key3StatusPacket | undefined,
  status: Key3StatusPacket,
): KeyStateUpdate {
  const access = accessOf(status) ?? 0;
  const locked = (access & AccessFlagBit.locked) !== 0;
  return {
    battery: Math.min(100, Math.max(0, status.battery)),
    rssi: status.rssi,
    pinAttemptsRemain: status.pinAttemptsRemain,
    otherHosts: status.otherConnections,
    ...(previous === undefined || accessOf(previous) !== access
      ? {
          access: accessFlagsFromBits(access),
          // STATUS carries every access bit; only a lock lacks its why (code or PIN) and its
          // attempts: a lock is read back (refresh), an unlock clears both locks at once.
          ...(locked ? { refresh: true } : { lockedByCode: false, lockedByPin: false }),
        }
      : {}),
  };
}

/** The press a STATUS reports (its ButtonPressCode), or undefined when it reports none. */
export function pressOf(
  previous: Key3StatusPacket | undefined,
  status: Key3StatusPacket,
): number | undefined {
  if (previous === undefined || status.buttonByte === previous.buttonByte) return undefined;
  return isPress(status.button) ? status.button : undefined;
}

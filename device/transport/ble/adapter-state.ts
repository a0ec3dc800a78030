// noble's adapter states as the typed availability the UI shows
// (transport.ts LinkAvailability). Details are short and carry no secrets.
import type { LinkAvailability } from '../transport';

const DETAILS = {
  unsupported: 'This Bluetooth adapter does not support Bluetooth LE',
  unauthorized:
    'No permission to use Bluetooth (Linux: cap_net_raw on the app binary; macOS: allow Bluetooth access)',
  poweredOff: 'Bluetooth is turned off',
  resetting: 'The Bluetooth adapter is resetting',
  unknown: 'The Bluetooth adapter state is not known yet',
} as const;

export function availabilityOf(state: string): LinkAvailability {
  switch (state) {
    case 'poweredOn':
      return { link: 'ble', state: 'ready' };
    case 'unsupported':
    case 'unauthorized':
    case 'poweredOff':
    case 'resetting':
      return { link: 'ble', state, detail: DETAILS[state] };
    default:
      // noble adds states over time; anything new is "not usable yet".
      return { link: 'ble', state: 'unknown', detail: DETAILS.unknown };
  }
}

export const unavailable = (detail: string): LinkAvailability => ({
  link: 'ble',
  state: 'unavailable',
  detail,
});

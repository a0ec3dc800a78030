// The Key 3's logical channels (reference §4.1): up to six per link, each with its
// own session. The vendor service owns 1, HES uses 4, a user-session app takes a
// free one (normally 2). Channel 0 and 7 fit the 3-bit field but are never valid.
import { ProtocolErrorCode, protocolError } from '../../protocol/protocol-error';

export const Key3Channel = { Main: 1, Ui: 2, Hes: 4 } as const;

export const MIN_CHANNEL = 1;
export const MAX_CHANNEL = 6;

export const isKey3Channel = (channel: number): boolean =>
  Number.isInteger(channel) && channel >= MIN_CHANNEL && channel <= MAX_CHANNEL;

/** Refuses anything but 1..6 with BadChannel. */
export function checkChannel(channel: number): void {
  if (!isKey3Channel(channel)) {
    throw protocolError(ProtocolErrorCode.BadChannel, 'channel must be 1..6', {
      channel: Number.isFinite(channel) ? channel : -1,
    });
  }
}

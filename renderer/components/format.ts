// Small display helpers: times in the user's language, Bluetooth signal in words,
// the battery icon's fill level.

/** A date and time in `language`, or undefined when the text is not a time. */
export function formatTime(iso: string, language: string): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
}

export type Signal = 'strong' | 'good' | 'weak';
/** Bluetooth RSSI (dBm) in three words, as phones show bars. */
export const signalOf = (rssi: number): Signal =>
  rssi >= -60 ? 'strong' : rssi >= -75 ? 'good' : 'weak';

/** 0–4: how many of the battery icon's segments are filled. */
export const batteryLevel = (percent: number): number =>
  Math.max(0, Math.min(4, Math.ceil(percent / 25)));

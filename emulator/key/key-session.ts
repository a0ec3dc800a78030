// What the key remembers only while it has power: when the user last entered
// the PIN, pressed the button or the server proved the master key. The access
// profile's *Connect flags ask for these once per connection (and again after
// the profile's expiration periods); a replug forgets them.

export interface KeySession {
  /** ms timestamps from the firmware clock */
  pinVerifiedAt?: number;
  buttonConfirmedAt?: number;
  masterKeyCheckedAt?: number;
}

/** Whether a confirmation made at `at` still holds at `now` (expirationSeconds 0: for the whole connection). */
export const isFresh = (at: number | undefined, now: number, expirationSeconds: number): boolean =>
  at !== undefined && (expirationSeconds === 0 || now - at < expirationSeconds * 1000);

// The channel numbers a Key 3 host uses (reference §1.6, §4.1): the companion's own
// session is on channel 1; the server brings its own channel (HES: 4).

/** Our own channel; the server's channel must be another one. */
export const COMPANION_CHANNEL = 1;

// When a key's battery is worth telling the user about. The Hideez Client warns at
// 25 % (hideez-client-behaviour.md, DeviceBatteryChangedMessage); so do we, once per
// key each time it goes from above to at-or-below the line.

/** At or below this percentage the battery is low. */
export const LOW_BATTERY_PERCENT = 25;

export const isLowBattery = (battery: number | undefined): boolean =>
  battery !== undefined && battery <= LOW_BATTERY_PERCENT;

// The two time fields of WorkstationEventDto (hes-contract.md §4.6): `date` is the
// instant in UTC ("2021-06-01T10:00:00.000Z"; HES stores it as is, no TZ
// conversion), `timeZone` the same instant as local wall time with its offset
// ("2021-06-01T13:00:00.000+03:00"; HES ignores it, the SDK sends it).

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** ISO-8601 in UTC with a `Z`. */
export const utcDate = (date: Date): string => date.toISOString();

/**
 * The instant as local time with its UTC offset. `offsetMinutes` follows
 * Date#getTimezoneOffset (minutes to add to local time to get UTC: -180 for
 * UTC+3); it defaults to the machine's offset at that instant.
 */
export const localTimeZone = (
  date: Date,
  offsetMinutes: number = date.getTimezoneOffset(),
): string => {
  const local = new Date(date.getTime() - offsetMinutes * 60_000);
  const east = -offsetMinutes;
  const sign = east >= 0 ? '+' : '-';
  const abs = Math.abs(east);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
};

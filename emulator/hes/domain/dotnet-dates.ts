// Dates as HES writes them. HES reads a DateTime back from MySQL with no time zone (kind
// Unspecified), so both System.Text.Json (hubs) and Newtonsoft (REST) write it without an
// offset: `yyyy-MM-ddTHH:mm:ss`, with the fraction only when it is not zero (trailing zeros
// dropped). The stand-in keeps UTC ISO strings and formats them so on the way out.

const ISO_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** `2021-06-01T10:00:00.000Z` → `2021-06-01T10:00:00`; a value that is not a date is kept. */
export function dotNetDateTime(iso: string): string;
export function dotNetDateTime(iso: string | null): string | null;
export function dotNetDateTime(iso: string | null): string | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const date = new Date(ms);
  const seconds = date.toISOString().slice(0, 19);
  const fraction = String(date.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, '');
  return fraction === '' ? seconds : `${seconds}.${fraction}`;
}

/**
 * An administrator's date (`2027-12-31`, `2027-12-31T08:00`, or with an offset) as a UTC ISO
 * string; a date without an offset is read as UTC, as HES's server-side dates are. undefined:
 * not a date.
 */
export function parseAdminDate(text: string): string | undefined {
  if (!ISO_WITHOUT_ZONE.test(text) && !ISO_WITH_ZONE.test(text)) return undefined;
  const zoned = ISO_WITH_ZONE.test(text) ? text : text.length === 10 ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

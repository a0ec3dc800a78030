// Which strings System.Text.Json 5 reads as a DateTime (JsonHelpers.TryParseAsISO, its
// extended ISO 8601-1:2019 profile): YYYY-MM-DD, then optionally Thh:mm, :ss, a fraction of
// 1–16 digits, and Z or ±hh[:mm]. Upper-case T and Z only, no spaces; the date must exist
// (year 1–9999), hh ≤ 23, mm/ss ≤ 59, an offset ≤ 14:00 that keeps the instant in range.

const DIGITS_2 = /^[0-9]{2}$/;
const DIGITS_4 = /^[0-9]{4}$/;
/** The longest string STJ tries to parse (JsonConstants.MaximumDateTimeOffsetParseLength). */
const MAX_LENGTH = 42;
const MAX_FRACTION_DIGITS = 16;
const MAX_OFFSET_HOURS = 14;

interface Parsed {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC; undefined without an offset (Z counts as none: no shift). */
  offset?: number;
}

const two = (text: string, at: number): number | undefined => {
  const digits = text.slice(at, at + 2);
  return DIGITS_2.test(digits) ? Number(digits) : undefined;
};

/** "+hh" or "+hh:mm" after the sign. */
function offsetMinutes(sign: string, rest: string): number | undefined {
  const hours = two(rest, 0);
  if (hours === undefined || rest.length < 2) return undefined;
  let minutes = 0;
  if (rest.length !== 2) {
    const m = two(rest, 3);
    if (rest.length !== 5 || rest[2] !== ':' || m === undefined) return undefined;
    minutes = m;
  }
  if (hours > MAX_OFFSET_HOURS || minutes > 59) return undefined;
  if (hours === MAX_OFFSET_HOURS && minutes !== 0) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** After a time part: 'Z', an offset, or nothing (`at` is the index of that character). */
function zone(text: string, at: number, parsed: Parsed): Parsed | undefined {
  const c = text[at];
  if (c === 'Z') return at + 1 === text.length ? parsed : undefined;
  if (c !== '+' && c !== '-') return undefined;
  const offset = offsetMinutes(c, text.slice(at + 1));
  return offset === undefined ? undefined : { ...parsed, offset };
}

function parse(text: string): Parsed | undefined {
  if (text.length < 10 || text.length > MAX_LENGTH) return undefined;
  const year = text.slice(0, 4);
  const month = two(text, 5);
  const day = two(text, 8);
  if (!DIGITS_4.test(year) || text[4] !== '-' || text[7] !== '-') return undefined;
  if (month === undefined || day === undefined) return undefined;
  const date: Parsed = { year: Number(year), month, day, hour: 0, minute: 0, second: 0 };
  if (text.length === 10) return date;
  const hour = two(text, 11);
  const minute = two(text, 14);
  if (text.length < 16 || text[10] !== 'T' || text[13] !== ':') return undefined;
  if (hour === undefined || minute === undefined) return undefined;
  const withTime = { ...date, hour, minute };
  if (text.length === 16) return withTime;
  if (text[16] !== ':') return zone(text, 16, withTime);
  const second = two(text, 17);
  if (text.length < 19 || second === undefined) return undefined;
  const withSeconds = { ...withTime, second };
  if (text.length === 19) return withSeconds;
  if (text[19] !== '.') return zone(text, 19, withSeconds);
  if (text.length < 21) return undefined;
  // STJ reads up to 16 fraction digits (zero of them is accepted when a zone follows).
  let at = 20;
  while (at < Math.min(20 + MAX_FRACTION_DIGITS, text.length) && /[0-9]/.test(text[at] ?? '')) {
    at += 1;
  }
  return at === text.length ? withSeconds : zone(text, at, withSeconds);
}

/** Milliseconds since 0001-01-01T00:00 of a wall-clock time (proleptic Gregorian). */
function wallClockMs(p: Parsed): number {
  const d = new Date(0);
  d.setUTCFullYear(p.year, p.month - 1, p.day);
  d.setUTCHours(p.hour, p.minute, p.second, 0);
  return d.getTime();
}

const MIN_MS = wallClockMs({ year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
const MAX_MS = wallClockMs({ year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59 });

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (year: number, month: number): number =>
  month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);

/** Whether STJ 5 binds `text` to a DateTime. */
export function isStjDateTime(text: string): boolean {
  const p = parse(text);
  if (p === undefined || p.year === 0 || p.month < 1 || p.month > 12) return false;
  if (p.day < 1 || p.day > daysInMonth(p.year, p.month)) return false;
  if (p.hour > 23 || p.minute > 59 || p.second > 59) return false;
  if (p.offset === undefined) return true;
  // With an offset STJ builds a DateTimeOffset, whose UTC instant must stay in years 1–9999.
  const utc = wallClockMs(p) - p.offset * 60_000;
  return utc >= MIN_MS && utc <= MAX_MS;
}

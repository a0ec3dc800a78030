// An event too large to travel in any batch would block the queue forever (it is
// sent oldest first). Such an event is shortened rather than dropped: its `note`
// is cut at a code-point boundary and ends with TRUNCATION_MARK; if the event is
// still too large without any note (absurdly long user, account or session
// fields), those free-text fields are cut the same way, in the order below.
import type { WorkstationEventDto } from '../../shared/hes/dto';
import { singleEventRecordBytes } from './invocation-size';

export const TRUNCATION_MARK = ' …[truncated]';

type TextField =
  'note' | 'accountLogin' | 'accountName' | 'userSession' | 'deviceId' | 'workstationSessionId';
const FIELDS_TO_CUT: readonly TextField[] = [
  'note',
  'accountLogin',
  'accountName',
  'userSession',
  'deviceId',
  'workstationSessionId',
];

/** Cuts `text` to its first `units` UTF-16 units without splitting a surrogate pair. */
const cutAt = (text: string, units: number): string => {
  let end = units;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
};

const withField = (
  event: WorkstationEventDto,
  field: TextField,
  value: string | null,
): WorkstationEventDto => ({ ...event, [field]: value });

/**
 * The event unchanged if its one-event invocation record fits `maxRecordBytes`,
 * else a copy with text fields shortened so that it does; `truncated` says which.
 * Returns undefined only if even the event with those fields emptied cannot fit
 * (a limit smaller than the fixed fields: a configuration error).
 */
export const fitEvent = (
  event: WorkstationEventDto,
  maxRecordBytes: number,
): { readonly event: WorkstationEventDto; readonly truncated: boolean } | undefined => {
  if (singleEventRecordBytes(event) <= maxRecordBytes) return { event, truncated: false };
  let current = event;
  for (const field of FIELDS_TO_CUT) {
    const text = current[field];
    if (text === null || text.length === 0) continue;
    const emptied = withField(current, field, TRUNCATION_MARK);
    if (singleEventRecordBytes(emptied) > maxRecordBytes) {
      // Not even the mark fits: drop this field's text entirely and go on to the next.
      current = withField(current, field, '');
      if (singleEventRecordBytes(current) <= maxRecordBytes)
        return { event: current, truncated: true };
      continue;
    }
    // Longest prefix that still fits (binary search: JSON escaping makes size non-linear in length).
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const candidate = withField(current, field, cutAt(text, mid) + TRUNCATION_MARK);
      if (singleEventRecordBytes(candidate) <= maxRecordBytes) lo = mid;
      else hi = mid - 1;
    }
    return { event: withField(current, field, cutAt(text, lo) + TRUNCATION_MARK), truncated: true };
  }
  return singleEventRecordBytes(current) <= maxRecordBytes
    ? { event: current, truncated: true }
    : undefined;
};

// What callers record, and how it becomes the WorkstationEventDto of §4.6. The
// queue fills in `version`, `id` (a GUID made now, kept with the event so a resend
// after a crash is deduplicated by the server), `date`/`timeZone` and
// `workstationId`; every other field is sent, null when absent (HES reads them all).
import { randomUUID } from 'node:crypto';
import {
  WorkstationEventSeverity,
  WorkstationEventType,
  type WorkstationEventDto,
} from '../../shared/hes/dto';
import { AuditQueueError, AuditQueueErrorCode } from './audit-queue-error';
import { localTimeZone, utcDate } from './event-time';
import { looksLikeSecret } from './secret-guard';

/** The SDK's WorkstationEventDto version string (§4.6). */
export const WORKSTATION_EVENT_VERSION = '1.1.0.0';

/**
 * The contract's `Omit<WorkstationEventDto, 'id'|'version'|'date'|'timeZone'|'workstationId'> & {date?: Date}`,
 * with the nullable fields optional (absent = null) and severity defaulting to Info.
 * Text fields must never carry secrets (codes, PINs, passwords): see secret-guard.ts.
 */
export interface AuditEventInput {
  readonly eventId: WorkstationEventType;
  readonly severityId?: WorkstationEventSeverity;
  readonly note?: string | null;
  readonly userSession?: string | null;
  readonly workstationSessionId?: string | null;
  readonly deviceId?: string | null;
  readonly accountName?: string | null;
  readonly accountLogin?: string | null;
  /** When it happened; defaults to the queue's clock. */
  readonly date?: Date;
}

const EVENT_TYPES: ReadonlySet<number> = new Set(Object.values(WorkstationEventType));
const SEVERITIES: ReadonlySet<number> = new Set(Object.values(WorkstationEventSeverity));
const TEXT_FIELDS = [
  'note',
  'userSession',
  'workstationSessionId',
  'deviceId',
  'accountName',
  'accountLogin',
] as const;
// .NET DateTime's range: a date outside it fails the whole batch on the server.
const MIN_TIME = Date.UTC(1, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const invalid = (message: string, field: string): AuditQueueError =>
  new AuditQueueError(AuditQueueErrorCode.InvalidEvent, message, { field });

const textOf = (input: AuditEventInput, field: (typeof TEXT_FIELDS)[number]): string | null => {
  const value: unknown = input[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string')
    throw invalid(`Event field ${field} must be a string or null`, field);
  if (looksLikeSecret(value)) {
    // The text itself stays out of the error: it is what we must not spread.
    throw new AuditQueueError(
      AuditQueueErrorCode.SecretInEvent,
      `Event field ${field} looks like it carries a secret; the event was not recorded`,
      { field },
    );
  }
  return value;
};

/** Validates the input and builds the full DTO (members in the SDK's order). */
export const buildEventDto = (
  input: AuditEventInput,
  context: { readonly workstationId: string; readonly now: () => Date },
): WorkstationEventDto => {
  if (typeof input !== 'object' || input === null)
    throw invalid('An event must be an object', 'event');
  if (typeof input.eventId !== 'number' || !EVENT_TYPES.has(input.eventId)) {
    throw invalid('Unknown eventId (not a WorkstationEventType)', 'eventId');
  }
  const severityId = input.severityId ?? WorkstationEventSeverity.Info;
  if (typeof severityId !== 'number' || !SEVERITIES.has(severityId)) {
    throw invalid('Unknown severityId (not a WorkstationEventSeverity)', 'severityId');
  }
  const date = input.date ?? context.now();
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (!(time >= MIN_TIME && time <= MAX_TIME))
    throw invalid('Event date is not a valid date', 'date');
  const texts = Object.fromEntries(TEXT_FIELDS.map((f) => [f, textOf(input, f)])) as Record<
    (typeof TEXT_FIELDS)[number],
    string | null
  >;
  return {
    version: WORKSTATION_EVENT_VERSION,
    id: randomUUID(),
    date: utcDate(date),
    timeZone: localTimeZone(date),
    eventId: input.eventId,
    severityId,
    note: texts.note,
    workstationId: context.workstationId,
    userSession: texts.userSession,
    workstationSessionId: texts.workstationSessionId,
    deviceId: texts.deviceId,
    accountName: texts.accountName,
    accountLogin: texts.accountLogin,
  };
};

/** Events the Windows client sends at once (§5.8): a locked or pending-unlock vault. */
export const isUrgentEventType = (eventId: WorkstationEventType): boolean =>
  eventId === WorkstationEventType.DeviceLocked ||
  eventId === WorkstationEventType.DevicePendingUnlock;

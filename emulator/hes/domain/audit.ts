// SaveClientEvents per event (hes-contract.md §6; HES WorkstationAuditService): the event is
// stored (AddEventDtoAsync) and then the workstation's sessions are updated
// (AddOrUpdateWorkstationSession), each in its own try block as HES's AppHub runs them — a
// duplicate or a failed insert still opens, reopens or closes sessions; a failure is only logged.
import { randomUUID } from 'node:crypto';
import type { HesStore } from '../store/hes-store';
import { SessionSwitchSubject, type VaultRecord } from '../store/records';
import { argumentNull, dbUpdateFailed, hesException } from './hes-exception-text';
import type { ClientEventDto } from './vault-dto-reading';

// HESConnected, ServiceStarted, ComputerUnlock, ComputerLogon / ComputerLock, ComputerLogoff.
const OPENS_SESSION = new Set([8, 1, 15, 12]);
const CLOSES_SESSION = new Set([14, 13]);

/** .NET char.IsWhiteSpace (Unicode White_Space); Trim() and TrimStart() use it. */
const WS =
  '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_WS = new RegExp(`^[${WS}]+`);
const TRIM = new RegExp(`^[${WS}]+|[${WS}]+$`, 'g');
/** Int32 "integer style": sign, ASCII digits, trailing ASCII white space and NULs. */
const INTEGER_STYLE = /^([+-]?)([0-9]+)[\t\n\v\f\r ]*\0*$/;
const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

/** A comma list of member names (ordinal, each trimmed), OR-ed; undefined if any is unknown. */
function subjectByName(value: string): number | undefined {
  const parts = value.split(',');
  let result = 0;
  for (const part of parts) {
    const name = part.replace(TRIM, '');
    if (!Object.hasOwn(SessionSwitchSubject, name)) return undefined;
    result |= SessionSwitchSubject[name as keyof typeof SessionSwitchSubject];
  }
  return result;
}

/**
 * HES's `Enum.TryParse(typeof(SessionSwitchSubject), note, out x)` (case-sensitive), else
 * NonHideez: leading white space skipped; a number (sign, digits, trailing white space) is taken
 * as any Int32, defined or not, and one out of range fails; otherwise a comma list of names.
 */
export function parseSubject(note: string | null): number {
  const value = note?.replace(LEADING_WS, '') ?? '';
  if (value === '') return SessionSwitchSubject.NonHideez;
  const number = INTEGER_STYLE.exec(value);
  if (number) {
    const n = Number(`${number[1] ?? ''}${number[2] ?? ''}`);
    return n >= INT32_MIN && n <= INT32_MAX ? n : SessionSwitchSubject.NonHideez;
  }
  return subjectByName(value) ?? SessionSwitchSubject.NonHideez;
}

const nullableString = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int32 = (v: unknown): number => (Number.isInteger(v) ? (v as number) : 0);

/** The event as bound, or null (a null item, or anything that is not an event object). */
function readEvent(value: unknown): ClientEventDto | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const e = value as Readonly<Record<string, unknown>>;
  if (typeof e['date'] !== 'string') return null;
  return {
    version: nullableString(e['version']),
    id: nullableString(e['id']),
    date: e['date'],
    timeZone: nullableString(e['timeZone']),
    eventId: int32(e['eventId']),
    severityId: int32(e['severityId']),
    note: nullableString(e['note']),
    workstationId: nullableString(e['workstationId']),
    userSession: nullableString(e['userSession']),
    workstationSessionId: nullableString(e['workstationSessionId']),
    deviceId: nullableString(e['deviceId']),
    accountName: nullableString(e['accountName']),
    accountLogin: nullableString(e['accountLogin']),
  };
}

interface Enrichment {
  readonly employeeId: string | null;
  readonly departmentId: string | null;
  readonly accountId: string | null;
}

/**
 * The vault's current employee and that employee's account with the event's Name and Login,
 * soft-deleted or not. The vault must exist: HardwareVaultId is a foreign key in HES's table.
 */
function enrich(store: HesStore, e: ClientEventDto): Enrichment {
  if (e.deviceId === null) return { employeeId: null, departmentId: null, accountId: null };
  const vault: VaultRecord | undefined = store.vaults.get(e.deviceId);
  if (!vault) throw dbUpdateFailed();
  const employee = vault.employeeId === null ? undefined : store.employees.get(vault.employeeId);
  const accountId =
    vault.employeeId === null || e.accountName === null || e.accountLogin === null
      ? null
      : (store.events.accountOf(vault.employeeId, e.accountName, e.accountLogin) ?? null);
  return {
    employeeId: employee?.id ?? null,
    departmentId: employee?.departmentId ?? null,
    accountId,
  };
}

/** WAS.AddEventDtoAsync: once per id (EF makes an id for a null one), on a known workstation. */
function addEvent(store: HesStore, e: ClientEventDto | null): void {
  if (e === null) throw argumentNull('workstationEventDto');
  if (e.workstationId === null || !store.workstations.get(e.workstationId)) {
    throw hesException('WorkstationNotFound');
  }
  const enrichment = enrich(store, e);
  store.events.insert({
    // WorkstationEvent.Id is [DatabaseGenerated(Identity)]: EF gives a null one a new GUID.
    id: e.id ?? randomUUID(),
    date: e.date,
    eventId: e.eventId,
    severityId: e.severityId,
    note: e.note,
    workstationId: e.workstationId,
    userSession: e.userSession,
    hardwareVaultId: e.deviceId,
    ...enrichment,
  });
}

/** WAS.AddOrUpdateWorkstationSession: open or reopen on 8/1/15/12, close all on 14/13. */
function addOrUpdateSession(store: HesStore, e: ClientEventDto | null, now: () => Date): void {
  if (e === null) throw argumentNull('workstationEventDto');
  const sessionId = e.workstationSessionId;
  if (sessionId === null) return;
  if (OPENS_SESSION.has(e.eventId)) {
    if (store.sessions.get(sessionId)) {
      store.sessions.reopen(sessionId);
      return;
    }
    if (e.workstationId === null || !store.workstations.get(e.workstationId)) {
      throw hesException('WorkstationNotFound');
    }
    store.sessions.insert({
      id: sessionId,
      startDate: e.date,
      endDate: null,
      unlockedBy: parseSubject(e.note),
      workstationId: e.workstationId,
      userSession: e.userSession,
      hardwareVaultId: e.deviceId,
      ...enrich(store, e),
    });
  } else if (CLOSES_SESSION.has(e.eventId) && e.workstationId !== null) {
    store.sessions.closeAllOpen(e.workstationId, now().toISOString());
  }
}

/** One event of a SaveClientEvents batch: both steps run; a failure of either is only logged. */
export function saveEventAndSession(store: HesStore, value: unknown, now: () => Date): void {
  const event = readEvent(value);
  try {
    addEvent(store, event);
  } catch {
    // HES: _logger.LogError($"[Add Event] …").
  }
  try {
    addOrUpdateSession(store, event, now);
  } catch {
    // HES: _logger.LogError($"[Add/Update Session] …").
  }
}

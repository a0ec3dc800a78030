// SaveClientEvents (hes-contract.md §6): store each event once (dedupe by the client's id),
// enrich it from the vault's current employee, and open or close workstation sessions.
import type { WorkstationEventDto } from '../../../shared/hes/dto';
import type { HesStore } from '../store/hes-store';
import { SessionSwitchSubject, type WorkstationEventRecord } from '../store/records';

const OPENS_SESSION = new Set([8, 1, 15, 12]);
const CLOSES_SESSION = new Set([14, 13]);

/** .NET Enum.TryParse on the note: a member name or its number; anything else is NonHideez. */
export function parseSubject(note: string | null): SessionSwitchSubject {
  if (note === null) return SessionSwitchSubject.NonHideez;
  const trimmed = note.trim();
  if (Object.hasOwn(SessionSwitchSubject, trimmed)) {
    return SessionSwitchSubject[trimmed as keyof typeof SessionSwitchSubject];
  }
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  return (Object.values(SessionSwitchSubject) as number[]).includes(n)
    ? (n as SessionSwitchSubject)
    : SessionSwitchSubject.NonHideez;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A structurally valid event or undefined (HES only logs per-event failures). */
function readEvent(value: unknown): WorkstationEventDto | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Record<string, unknown>;
  if (typeof e['id'] !== 'string' || e['id'] === '') return undefined;
  if (typeof e['workstationId'] !== 'string' || typeof e['date'] !== 'string') return undefined;
  if (!Number.isInteger(e['eventId']) || !Number.isInteger(e['severityId'])) return undefined;
  return value as WorkstationEventDto;
}

/** Stores one event; false when skipped (duplicate, unknown workstation, malformed). */
export function saveEvent(store: HesStore, value: unknown, now: string): boolean {
  const event = readEvent(value);
  if (!event) return false;
  if (!store.workstations.get(event.workstationId)) return false;
  return store.transaction(() => {
    const deviceId = str(event.deviceId);
    const vault = deviceId === null ? undefined : store.vaults.get(deviceId);
    const employee = vault?.employeeId == null ? undefined : store.employees.get(vault.employeeId);
    const name = str(event.accountName);
    const login = str(event.accountLogin);
    const account =
      employee && name !== null && login !== null
        ? store.accounts.find(employee.id, name, login)
        : undefined;
    const record: WorkstationEventRecord = {
      id: event.id,
      date: event.date,
      eventId: event.eventId,
      severityId: event.severityId,
      note: str(event.note),
      workstationId: event.workstationId,
      userSession: str(event.userSession),
      hardwareVaultId: deviceId,
      employeeId: employee?.id ?? null,
      departmentId: employee?.departmentId ?? null,
      accountId: account?.id ?? null,
    };
    if (!store.events.insert(record)) return false;
    const sessionId = str(event.workstationSessionId);
    if (sessionId !== null && OPENS_SESSION.has(event.eventId)) {
      if (store.sessions.get(sessionId)) store.sessions.reopen(sessionId);
      else
        store.sessions.insert({
          id: sessionId,
          startDate: event.date,
          endDate: null,
          unlockedBy: parseSubject(record.note),
          workstationId: event.workstationId,
          userSession: record.userSession,
          hardwareVaultId: deviceId,
          employeeId: record.employeeId,
          departmentId: record.departmentId,
          accountId: record.accountId,
        });
    } else if (sessionId !== null && CLOSES_SESSION.has(event.eventId)) {
      store.sessions.closeAllOpen(event.workstationId, now);
    }
    return true;
  });
}

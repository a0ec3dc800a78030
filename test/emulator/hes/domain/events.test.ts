// SaveClientEvents (hes-contract.md §6): stored once per id, enriched from the vault's owner,
// sessions opened and closed by the session events and by the AppHub disconnect.
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkstationEventType, WorkstationEventDto } from '../../../../shared/hes/dto';
import { SessionSwitchSubject } from '../../../../emulator/hes/store/records';
import { parseSubject } from '../../../../emulator/hes/domain/audit';
import { harness, WS, type Harness } from './hes-harness';

let open: Harness | undefined;
afterEach(async () => {
  await open?.cleanup();
  open = undefined;
});

const event = (
  id: string,
  eventId: WorkstationEventType,
  extra: Partial<WorkstationEventDto> = {},
): WorkstationEventDto => ({
  version: '1.1.0.0',
  id,
  date: '2024-01-01T10:00:00Z',
  timeZone: '2024-01-01T12:00:00+02:00',
  eventId,
  severityId: 0,
  note: null,
  workstationId: WS,
  userSession: 'CORP\\alice',
  workstationSessionId: null,
  deviceId: null,
  accountName: null,
  accountLogin: null,
  ...extra,
});

describe('SaveClientEvents', () => {
  it('stores each event once, however often it is resent', async () => {
    const h = (open = await harness());
    await h.approve();
    const batch = [event('e1', 3), event('e2', 4)];
    expect(await h.hes.saveClientEvents(WS, batch)).toEqual({ code: 0, message: '', data: null });
    await h.hes.saveClientEvents(WS, batch);
    h.restart();
    await h.hes.saveClientEvents(WS, [...batch, event('e3', 21)]);
    expect(h.store.events.list(WS).map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('enriches from the vault owner; skips malformed events and unknown workstations', async () => {
    const h = (open = await harness());
    await h.approve();
    const e = h.hes.addEmployee({ firstName: 'Alice', lastName: 'Smith' });
    h.hes.reserve(h.serial, e.id);
    h.store.accounts.insert({ employeeId: e.id, name: 'Windows', login: 'CORP\\alice' });
    const response = await h.hes.saveClientEvents(WS, [
      event('e1', 20, { deviceId: h.serial, accountName: 'Windows', accountLogin: 'CORP\\alice' }),
      event('e2', 3, { workstationId: 'ws-unknown' }),
      { id: 42 },
      null,
    ]);
    expect(response.code).toBe(0);
    const stored = h.store.events.list();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ hardwareVaultId: h.serial, employeeId: e.id });
    expect(stored[0]?.accountId).not.toBeNull();
  });

  it('opens sessions on unlock/logon, closes all on lock/logoff and on disconnect', async () => {
    const h = (open = await harness());
    await h.approve();
    await h.hes.saveClientEvents(WS, [
      event('a', 15, { workstationSessionId: 's1', note: 'Proximity' }),
      event('b', 12, { workstationSessionId: 's2', note: 'garbage' }),
    ]);
    expect(h.store.sessions.list(WS).map((s) => [s.id, s.unlockedBy, s.endDate])).toEqual([
      ['s1', SessionSwitchSubject.Proximity, null],
      ['s2', SessionSwitchSubject.NonHideez, null],
    ]);
    await h.hes.saveClientEvents(WS, [event('c', 14, { workstationSessionId: 's1' })]);
    expect(h.store.sessions.list(WS).every((s) => s.endDate !== null)).toBe(true);
    await h.hes.saveClientEvents(WS, [event('d', 15, { workstationSessionId: 's1' })]);
    expect(h.store.sessions.get('s1')?.endDate).toBeNull();
    h.hes.workstationDisconnected(WS);
    expect(h.store.sessions.get('s1')?.endDate).not.toBeNull();
  });

  it('reads the unlock subject as .NET Enum.TryParse would', () => {
    expect(parseSubject('RFID')).toBe(0);
    expect(parseSubject('2')).toBe(2);
    expect(parseSubject('rfid')).toBe(3);
    expect(parseSubject(null)).toBe(3);
    // Any Int32, defined or not, with a sign and white space around it.
    expect(parseSubject('7')).toBe(7);
    expect(parseSubject(' -1 ')).toBe(-1);
    expect(parseSubject('+004')).toBe(4);
    expect(parseSubject('2147483647')).toBe(2147483647);
    expect(parseSubject('2147483648')).toBe(SessionSwitchSubject.NonHideez);
    expect(parseSubject('1.5')).toBe(SessionSwitchSubject.NonHideez);
    // Comma lists of names are OR-ed, each name trimmed; a bad or empty piece fails.
    expect(parseSubject(' Dongle , Proximity')).toBe(1 | 2);
    expect(parseSubject('Proximity,AccessCancelled')).toBe(6);
    expect(parseSubject('Proximity,')).toBe(SessionSwitchSubject.NonHideez);
    expect(parseSubject('Proximity,,RFID')).toBe(SessionSwitchSubject.NonHideez);
    expect(parseSubject('   ')).toBe(SessionSwitchSubject.NonHideez);
  });

  it('runs the session step for every event, stored or not (duplicates, unknown vaults)', async () => {
    const h = (open = await harness());
    await h.approve();
    await h.hes.saveClientEvents(WS, [event('a', 15, { workstationSessionId: 's1' })]);
    await h.hes.saveClientEvents(WS, [event('b', 14, { workstationSessionId: 's1' })]);
    expect(h.store.sessions.get('s1')?.endDate).not.toBeNull();
    // The same event again: not stored twice, but it reopens its session.
    await h.hes.saveClientEvents(WS, [event('a', 15, { workstationSessionId: 's1' })]);
    expect(h.store.events.list(WS).map((e) => e.id)).toEqual(['a', 'b']);
    expect(h.store.sessions.get('s1')?.endDate).toBeNull();
    // An event for a vault HES does not know fails its insert (foreign key), yet it closes.
    await h.hes.saveClientEvents(WS, [
      event('c', 13, { workstationSessionId: 's1', deviceId: 'ST-UNKNOWN' }),
    ]);
    expect(h.store.events.list(WS).map((e) => e.id)).toEqual(['a', 'b']);
    expect(h.store.sessions.get('s1')?.endDate).not.toBeNull();
  });

  it('gives an event without id a new one, and enriches from soft-deleted accounts too', async () => {
    const h = (open = await harness());
    await h.approve();
    const e = h.hes.addEmployee({ firstName: 'Alice', lastName: 'Smith' });
    h.hes.reserve(h.serial, e.id);
    const account = h.store.accounts.insert({
      employeeId: e.id,
      name: 'Windows',
      login: 'CORP\\alice',
    });
    h.store.accounts.softDeleteForEmployee(e.id);
    await h.hes.saveClientEvents(WS, [
      {
        ...event('x', 20, { deviceId: h.serial, accountName: 'Windows' }),
        id: null,
        accountLogin: 'CORP\\alice',
      },
    ]);
    const [stored] = h.store.events.list(WS);
    expect(stored?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored).toMatchObject({ employeeId: e.id, accountId: account.id });
  });
});

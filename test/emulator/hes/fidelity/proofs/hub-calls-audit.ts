// Proofs of the audit rows (SaveClientEvents: WorkstationEventDto, storage, sessions), with
// the real client against a started stand-in whose database the proof reads (../prove.ts).
import { expect } from 'vitest';
import { until } from '../../server/stand-in-hosts';
import type { ProofMap } from './proof';
import { expectBindingFailure, hubWorld, reserveVault, type HubWorld } from './hub-calls-world';

const OK = { code: 0, message: '', data: null };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An event of the world's workstation, with members replaced or added. */
const event = (world: HubWorld, id: string | null, extra: Record<string, unknown> = {}) => ({
  id,
  date: '2026-01-01T10:00:00',
  eventId: 3,
  severityId: 0,
  workstationId: world.ws.id,
  ...extra,
});

const save = (world: HubWorld, events: readonly unknown[]) =>
  world.ws.invoke('SaveClientEvents', events);

export const PROOFS: ProofMap = {
  '2.28': async () => {
    const world = await hubWorld();
    const { id: _, ...withoutId } = event(world, null);
    expect(
      await save(world, [
        event(world, 'e1'),
        event(world, 'e1', { eventId: 4 }),
        event(world, null),
        withoutId,
      ]),
    ).toEqual(OK);
    const stored = world.db.events.list();
    expect(stored.filter((e) => e.id === 'e1')).toMatchObject([{ eventId: 3 }]);
    // WorkstationEvent.Id is generated on add: an event without one is stored under a new id.
    expect(stored.filter((e) => e.id !== 'e1').map((e) => GUID.test(e.id))).toEqual([true, true]);
  },

  '2.29': async () => {
    const world = await hubWorld();
    const dates = ['2026-01-01T10:00:00+03:00', '2026-01-01', '2026-01-01T10:00:00.1234567Z'];
    expect(
      await save(world, [
        ...dates.map((date, i) => event(world, `d${i}`, { date })),
        { id: 'd-none', workstationId: world.ws.id },
      ]),
    ).toEqual(OK);
    expect(Object.fromEntries(world.db.events.list().map((e) => [e.id, e.date]))).toEqual({
      d0: dates[0],
      d1: dates[1],
      d2: dates[2],
      'd-none': '0001-01-01T00:00:00',
    });
    for (const date of ['01.01.2026', '2026-01-01 10:00', null]) {
      await expectBindingFailure(save(world, [event(world, 'bad', { date })]), 'SaveClientEvents');
    }
    expect(world.db.events.list().some((e) => e.id === 'bad')).toBe(false);
  },

  '2.30': async () => {
    const world = await hubWorld();
    const minimal = { id: 'e-min', workstationId: world.ws.id };
    const odd = event(world, 'e-odd', {
      eventId: 999,
      severityId: -7,
      note: null,
      userSession: null,
      workstationSessionId: null,
      deviceId: null,
      accountName: null,
      accountLogin: null,
      timeZone: 'not even a date',
      version: null,
    });
    expect(await save(world, [minimal, odd])).toEqual(OK);
    expect(world.db.events.list()).toMatchObject([
      { id: 'e-min', eventId: 0, severityId: 0, note: null },
      { id: 'e-odd', eventId: 999, severityId: -7, note: null, userSession: null },
    ]);
    for (const bad of [{ eventId: 'ComputerLock' }, { severityId: 1.5 }, { note: 5 }]) {
      await expectBindingFailure(save(world, [{ ...minimal, ...bad }]), 'SaveClientEvents');
    }
  },

  '6.7': async () => {
    const world = await hubWorld();
    const employeeId = reserveVault(world);
    const account = world.db.accounts.insert({ employeeId, name: 'Windows', login: 'CORP\\ann' });
    world.db.accounts.softDeleteForEmployee(employeeId);
    const used = {
      deviceId: world.serial,
      accountName: 'Windows',
      accountLogin: 'CORP\\ann',
      note: 'n',
      userSession: 'CORP\\ann',
      eventId: 20,
      severityId: 2,
    };
    expect(
      await save(world, [
        event(world, 'e-used', used),
        event(world, 'e-used', { eventId: 21 }),
        event(world, 'e-elsewhere', { workstationId: 'ws-unknown' }),
        event(world, 'e-foreign-vault', { deviceId: 'ST-UNKNOWN' }),
      ]),
    ).toEqual(OK);
    expect(world.db.events.list()).toEqual([
      {
        id: 'e-used',
        date: '2026-01-01T10:00:00',
        eventId: 20,
        severityId: 2,
        note: 'n',
        workstationId: world.ws.id,
        userSession: 'CORP\\ann',
        hardwareVaultId: world.serial,
        employeeId,
        departmentId: null,
        accountId: account.id,
      },
    ]);
  },

  '6.8': async () => {
    const world = await hubWorld();
    expect(
      await save(world, [
        event(world, 'a'),
        null,
        event(world, 'b', { workstationId: null }),
        event(world, 'c', { deviceId: 'ST-UNKNOWN' }),
        event(world, 'd'),
      ]),
    ).toEqual(OK);
    expect(world.db.events.list().map((e) => e.id)).toEqual(['a', 'd']);
  },

  '6.9': async () => {
    const world = await hubWorld();
    const session = (id: string | null, eventId: number, extra = {}) =>
      event(world, id, { eventId, workstationSessionId: 's1', ...extra });
    expect(await save(world, [session('open', 15), session('lock', 14)])).toEqual(OK);
    expect(world.db.sessions.get('s1')?.endDate).not.toBeNull();
    // The same open event again is not stored, yet reopens the session.
    expect(await save(world, [session('open', 15)])).toEqual(OK);
    expect(world.db.sessions.get('s1')?.endDate).toBeNull();
    // A lock event whose storage fails (a vault HES does not know) still closes it.
    expect(await save(world, [session('lock-2', 13, { deviceId: 'ST-UNKNOWN' })])).toEqual(OK);
    expect(world.db.sessions.get('s1')?.endDate).not.toBeNull();
    expect(world.db.events.list().map((e) => e.id)).toEqual(['lock', 'open']);
  },

  '6.10': async () => {
    const world = await hubWorld();
    const notes: [string | null, number][] = [
      ['Proximity', 2],
      ['  RFID , Dongle', 1],
      ['Proximity,AccessCancelled', 6],
      ['7', 7],
      [' -1 ', -1],
      ['+4', 4],
      ['proximity', 3],
      ['Proximity,', 3],
      ['99999999999', 3],
      [null, 3],
    ];
    const opens = notes.map(([note], i) =>
      event(world, `u${i}`, { eventId: 15, workstationSessionId: `s${i}`, note }),
    );
    expect(await save(world, opens)).toEqual(OK);
    for (const [i, [note, unlockedBy]] of notes.entries()) {
      expect(world.db.sessions.get(`s${i}`)?.unlockedBy, String(note)).toBe(unlockedBy);
    }
  },

  '6.11': async () => {
    const world = await hubWorld({ id: 'ws-6-11' });
    const open = (id: string, session: string) =>
      event(world, id, { eventId: 12, workstationSessionId: session });
    expect(await save(world, [open('a', 's-a'), open('b', 's-b')])).toEqual(OK);
    expect(world.db.sessions.list('ws-6-11').map((s) => s.endDate)).toEqual([null, null]);
    await world.ws.appHub.stop();
    await until(() => world.db.sessions.list('ws-6-11').every((s) => s.endDate !== null));
  },
};

// The stand-in's SQLite file: a fresh schema with the default profile, WAL and foreign keys,
// versioning, transactions that land whole or not at all, and data that survives a reopen.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HesStore } from '../../../../emulator/hes/store/hes-store';
import { HesStoreError } from '../../../../emulator/hes/store/hes-store-error';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../../emulator/hes/store/schema';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hes-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const vault = (id: string) => ({
  id,
  mac: `MAC-${id}`,
  model: 'Hideez Key 4',
  rfid: `RFID-${id}`,
  firmware: '1.4.0',
  importedAt: '2024-01-01T00:00:00.000Z',
  provisioningSecret: Buffer.alloc(32, 1).toString('base64'),
});

describe('HesStore', () => {
  it('an empty file gets a fresh database with the seeded default profile', async () => {
    const file = join(dir, 'empty.db');
    await writeFile(file, '');
    const store = HesStore.open(file);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.profiles.get('default')).toMatchObject({
      name: 'Default',
      buttonPairing: true,
      masterKeyPairing: true,
      pinConnection: false,
      pinExpiration: 86_400,
      pinLength: 4,
      pinTryCount: 10,
    });
    store.close();
    const raw = new DatabaseSync(file);
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    raw.close();
  });

  it('imports a vault as Ready with battery 100; MAC and RFID are unique; foreign keys hold', () => {
    const store = HesStore.open(join(dir, 'a.db'));
    store.vaults.insert(vault('V1'));
    expect(store.vaults.get('V1')).toMatchObject({
      status: 0,
      battery: 100,
      profileId: 'default',
      remoteCounter: 0n,
    });
    expect(() => store.vaults.insert({ ...vault('V2'), mac: 'MAC-V1' })).toThrow();
    expect(() => store.vaults.update('V1', { employeeId: 'no-such-employee' })).toThrow();
    store.close();
  });

  it('a transaction lands whole or not at all', () => {
    const store = HesStore.open(join(dir, 'b.db'));
    store.vaults.insert(vault('V1'));
    expect(() =>
      store.transaction(() => {
        store.vaults.update('V1', { status: 1 });
        store.activations.create('V1', '123456', 'now');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.vaults.get('V1')?.status).toBe(0);
    expect(store.activations.list('V1')).toEqual([]);
    store.close();
  });

  it('one pending code per vault: a new one cancels the old; rows are never deleted', () => {
    const store = HesStore.open(join(dir, 'c.db'));
    store.activations.create('V1', '111111', '2024-01-01');
    store.activations.create('V1', '222222', '2024-01-02');
    expect(store.activations.pending('V1')?.code).toBe('222222');
    expect(store.activations.list('V1').map((a) => a.status)).toEqual([2, 0]);
    store.close();
  });

  it('counters and history survive a reopen; the counter never goes back', () => {
    const file = join(dir, 'd.db');
    let store = HesStore.open(file);
    store.vaults.insert(vault('V1'));
    expect(store.vaults.nextCounter('V1')).toBe(1n);
    expect(store.vaults.nextCounter('V1')).toBe(2n);
    store.vaults.advanceCounter('V1', 1n);
    store.history.add({ time: 't', vaultId: 'V1', from: 0, to: 1, reason: 0, actor: 'admin' });
    store.close();
    store = HesStore.open(file);
    expect(store.vaults.get('V1')?.remoteCounter).toBe(2n);
    store.vaults.advanceCounter('V1', 2n ** 63n);
    expect(store.vaults.nextCounter('V1')).toBe(2n ** 63n + 1n);
    expect(store.history.forVault('V1')).toHaveLength(1);
    store.close();
  });

  it('refuses a database written by a newer schema', () => {
    const file = join(dir, 'e.db');
    const raw = new DatabaseSync(file);
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => HesStore.open(file)).toThrow(HesStoreError);
  });

  it('forces the HES start-up profile values on every open', () => {
    const file = join(dir, 'f.db');
    const store = HesStore.open(file);
    store.close();
    const raw = new DatabaseSync(file);
    raw.exec('UPDATE HardwareVaultProfiles SET ButtonPairing = 0, MasterKeyStorageAccess = 1');
    raw.close();
    const again = HesStore.open(file);
    expect(again.profiles.get('default')).toMatchObject({
      buttonPairing: true,
      masterKeyStorageAccess: false,
    });
    again.close();
  });

  it('a damaged row gives a typed HesStoreError', () => {
    const store = HesStore.open(join(dir, 'g.db'));
    store.vaults.insert(vault('V1'));
    store.close();
    const raw = new DatabaseSync(join(dir, 'g.db'));
    raw.exec("UPDATE HardwareVaults SET Status = 99, RemoteCounter = 'x'");
    raw.close();
    const again = HesStore.open(join(dir, 'g.db'));
    expect(() => again.vaults.get('V1')).toThrow(HesStoreError);
    again.close();
  });

  it("V4 keeps a V3 file's workstations and their events, and then stores a missing name as null", () => {
    const file = join(dir, 'v3.db');
    const raw = new DatabaseSync(file);
    raw.exec('PRAGMA foreign_keys = ON');
    for (const [v, sql] of MIGRATIONS.slice(0, 3).entries()) {
      raw.exec(sql);
      raw.exec(`PRAGMA user_version = ${v + 1}`);
    }
    raw.exec(`INSERT INTO Workstations (Id, Name, Domain, ClientVersion, OS, IP, LastSeen, Approved, RFID)
      VALUES ('ws-1', 'PC', 'CORP', '1.0', 'Linux', '10.0.0.1', '2024-01-01T00:00:00.000Z', 1, 1)`);
    raw.exec(`INSERT INTO WorkstationEvents (Id, Date, EventId, SeverityId, WorkstationId)
      VALUES ('e-1', '2024-01-01T00:00:00.000Z', 1, 1, 'ws-1')`);
    raw.close();

    const store = HesStore.open(file);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.workstations.get('ws-1')).toMatchObject({
      name: 'PC',
      approved: true,
      rfid: true,
    });
    expect(store.events.list('ws-1').map((e) => e.id)).toEqual(['e-1']);
    // Foreign keys still hold after the rebuild.
    expect(() =>
      store.events.insert({ ...store.events.list('ws-1')[0]!, id: 'e-2', workstationId: 'nobody' }),
    ).toThrow();
    store.workstations.upsert({
      id: 'ws-2',
      name: null,
      domain: null,
      clientVersion: null,
      os: null,
      ip: null,
      lastSeen: '2024-01-02T00:00:00.000Z',
    });
    expect(store.workstations.get('ws-2')).toMatchObject({ name: null, domain: null, os: null });
    store.close();
  });

  it('proximity pairs go with their workstation; a department must exist; the alarm keeps who and when', () => {
    const store = HesStore.open(join(dir, 'h.db'));
    store.vaults.insert(vault('V1'));
    const ws = {
      id: 'ws-1',
      name: 'PC',
      domain: null,
      clientVersion: null,
      os: null,
      ip: null,
      lastSeen: 'now',
    };
    store.workstations.upsert(ws);
    const pair = store.proximity.insert({
      workstationId: 'ws-1',
      vaultId: 'V1',
      lockProximity: 30,
      unlockProximity: 70,
      lockTimeout: 5,
    });
    expect(store.proximity.get(pair.id)).toEqual(pair);
    expect(store.proximity.exists('ws-1', 'V1')).toBe(true);
    expect(store.proximity.settings('ws-1')).toEqual([
      { serialNo: 'V1', mac: 'MAC-V1', lockProximity: 30, unlockProximity: 70, lockTimeout: 5 },
    ]);
    store.transaction(() => store.workstations.delete('ws-1'));
    expect(store.proximity.get(pair.id)).toBeUndefined();

    store.workstations.upsert(ws);
    expect(() =>
      store.workstations.approve('ws-1', { departmentId: 'nope', rfid: true }),
    ).toThrow();
    const company = store.org.insertCompany('Corp');
    const department = store.org.insertDepartment({ companyId: company.id, name: 'IT' });
    store.workstations.approve('ws-1', { departmentId: department.id, rfid: true });
    expect(store.workstations.get('ws-1')).toMatchObject({
      approved: true,
      departmentId: department.id,
    });
    store.workstations.unapprove('ws-1');
    expect(store.workstations.get('ws-1')).toMatchObject({
      approved: false,
      rfid: false,
      departmentId: null,
    });

    expect(store.alarmState.get()).toEqual({ isAlarm: false, adminName: null, date: null });
    store.alarmState.set({
      isAlarm: true,
      adminName: 'admin@corp',
      date: '2024-01-01T00:00:00.000Z',
    });
    expect(store.settings.alarm()).toBe(true); // the row the AppHub gate reads
    expect(store.alarmState.get()).toEqual({
      isAlarm: true,
      adminName: 'admin@corp',
      date: '2024-01-01T00:00:00.000Z',
    });
    store.close();
  });
});

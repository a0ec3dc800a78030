// The stand-in's SQLite file: a fresh schema with the default profile, WAL and foreign keys,
// versioning, transactions that land whole or not at all, and data that survives a reopen.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HesStore } from '../../../../emulator/hes/store/hes-store';
import { HesStoreError } from '../../../../emulator/hes/store/hes-store-error';
import { SCHEMA_VERSION } from '../../../../emulator/hes/store/schema';

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
});

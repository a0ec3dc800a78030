import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKeyHistory } from '../../../main/history/key-history';
import { VaultStatus, VaultStatusReason } from '../../../shared/vault/vault-status';

describe('the local key history', () => {
  it('keeps status changes per key, newest first, survives a reopen and skips repeats', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'history-'));
    const file = join(dir, 'history.json');
    const h = await openKeyHistory(file);
    expect(
      h.record('K1', {
        time: 't1',
        from: null,
        to: VaultStatus.Reserved,
        reason: null,
        source: 'server',
      }),
    ).toBe(true);
    expect(
      h.record('K1', {
        time: 't2',
        from: VaultStatus.Reserved,
        to: VaultStatus.Reserved,
        reason: null,
        source: 'server',
      }),
    ).toBe(false);
    h.record('K1', {
      time: 't3',
      from: VaultStatus.Reserved,
      to: VaultStatus.Locked,
      reason: VaultStatusReason.InvalidActivationCode,
      source: 'key',
    });
    h.forget('K1', { time: 't4', code: 1014 });
    await h.flush();
    const again = await openKeyHistory(file);
    expect(again.entries('K1').map((e) => e.to)).toEqual([
      VaultStatus.Locked,
      VaultStatus.Reserved,
    ]);
    expect(again.forgotten('K1')).toEqual({ time: 't4', code: 1014 });
    expect(again.entries('K2')).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });

  it('a damaged file starts an empty history instead of failing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'history-'));
    const file = join(dir, 'history.json');
    await writeFile(file, '{not json');
    const h = await openKeyHistory(file);
    expect(h.entries('K1')).toEqual([]);
    h.record('K1', {
      time: 't',
      from: null,
      to: VaultStatus.Active,
      reason: null,
      source: 'server',
    });
    await h.flush();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1 });
    await rm(dir, { recursive: true, force: true });
  });
});

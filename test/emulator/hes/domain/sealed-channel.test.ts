// The relay cannot alter what it relays, counters only move forward (also across a restart),
// and activation codes are 6 CSPRNG digits that never show in an error.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultStatus } from '../../../../shared/vault/vault-status';
import { HwVaultConnectionState } from '../../../../shared/hes/dto';
import { HesAdminError } from '../../../../emulator/hes/domain/hes-admin-error';
import { newActivationCode } from '../../../../emulator/hes/domain/activation-code';
import { RemoteOpCode } from '../../../../emulator/remote-channel/ops';
import { harness, WRONG_CODE, WS, type Harness } from './hes-harness';
import { activateFirst, reserveAndLink } from './vault-states';

let open: Harness | undefined;
afterEach(async () => {
  await open?.cleanup();
  open = undefined;
});
const start = async (): Promise<Harness> => {
  open = await harness();
  await open.approve();
  await open.announce();
  return open;
};

describe('the sealed remote channel', () => {
  it('a flipped byte in a sealed command is refused by the key (ERR_BAD_SEAL); the status does not change', async () => {
    const h = await start();
    const e = h.hes.addEmployee({ firstName: 'A', lastName: 'B' });
    h.hes.reserve(h.serial, e.id);
    for (const index of [0, 5, 12, -1]) {
      h.relay.tamper = (sealed) => {
        const copy = new Uint8Array(sealed);
        const at = index < 0 ? copy.length + index : index;
        copy[at] = (copy[at] ?? 0) ^ 0x01;
        return copy;
      };
      const response = await h.sync();
      expect(response.code).not.toBe(0);
      expect(response.data).toBeNull();
      expect(h.store.vaults.get(h.serial)).toMatchObject({
        status: VaultStatus.Reserved,
        isStatusApplied: false,
      });
      expect((await h.info()).access.linkRequired).toBe(true);
    }
    h.relay.tamper = (sealed) => {
      const copy = new Uint8Array(sealed);
      copy[12] = (copy[12] ?? 0) ^ 0x80;
      return copy;
    };
    expect(await h.sync()).toEqual({ code: 16, message: 'ERR_BAD_SEAL (16)', data: null });
    h.relay.tamper = undefined;
    expect((await h.sync()).code).toBe(0);
    expect(h.store.vaults.get(h.serial)?.isStatusApplied).toBe(true);
  });

  it('counters survive a restart: the reopened database continues past the key', async () => {
    const h = await start();
    const code = await reserveAndLink(h);
    const before = h.store.vaults.get(h.serial)?.remoteCounter ?? 0n;
    expect(before).toBeGreaterThan(0n);
    h.restart();
    expect(h.store.vaults.get(h.serial)?.remoteCounter).toBe(before);
    await h.announce();
    expect((await h.unlock(code)).status).toBe(0);
    expect((await h.sync()).code).toBe(0);
    expect(h.store.vaults.get(h.serial)?.status).toBe(VaultStatus.Active);
    expect(BigInt(h.key.state.remoteCounter)).toBe(h.store.vaults.get(h.serial)?.remoteCounter);
  });

  it('a database counter behind the key (restored backup) moves past ERR_REPLAY once', async () => {
    const h = await start();
    await activateFirst(h);
    const keyCounter = BigInt(h.key.state.remoteCounter);
    // The key moves 51 commands ahead (a second server on the same secret).
    h.store.vaults.advanceCounter(h.serial, keyCounter + 50n);
    await h.direct({ op: RemoteOpCode.GetState });
    // The database file is restored from a backup holding the old counter.
    h.store.close();
    const { DatabaseSync } = await import('node:sqlite');
    const raw = new DatabaseSync(h.dbFile);
    raw
      .prepare('UPDATE HardwareVaults SET RemoteCounter = ? WHERE Id = ?')
      .run(keyCounter.toString(), h.serial);
    raw.close();
    h.restart();
    await h.announce();
    expect((await h.hes.authHwVault(WS, h.serial)).code).toBe(0);
    // GetState at +1 → ERR_REPLAY(lastCounter +51) → GetState at +52, CheckPassphrase at +53.
    expect(h.store.vaults.get(h.serial)?.remoteCounter).toBe(keyCounter + 53n);
    expect(BigInt(h.key.state.remoteCounter)).toBe(keyCounter + 53n);
  });

  it('a key that goes away mid-session: 1001, nothing changes; the session stays until Offline; then no device hub comes (512)', async () => {
    const h = await start();
    await reserveAndLink(h);
    const dto = await h.dto();
    const opens = h.relay.opens;
    h.key.unplug();
    // The session's exchange fails (a plain error → 1001); HES keeps its Device.
    expect((await h.hes.updateHwVaultStatus(WS, dto)).code).toBe(1001);
    expect(h.store.vaults.get(h.serial)?.status).toBe(VaultStatus.Reserved);
    expect((await h.hes.updateHwVaultStatus(WS, dto)).code).toBe(1001);
    expect(h.relay.opens).toBe(opens);
    // Offline, then announced again: a new set-up, and with the key gone no device hub (512).
    await h.hes.updateHwVaultProperties(
      WS,
      { ...dto, connectionState: HwVaultConnectionState.Offline },
      false,
    );
    await h.hes.updateHwVaultProperties(
      WS,
      { ...dto, connectionState: HwVaultConnectionState.Initializing },
      false,
    );
    expect((await h.hes.updateHwVaultStatus(WS, dto)).code).toBe(512);
    expect(h.relay.opens).toBe(opens + 1);
  });
});

describe('activation codes', () => {
  it('are 6 digits', () => {
    fc.assert(
      fc.property(fc.constant(null), () => {
        expect(newActivationCode()).toMatch(/^[1-9]\d{5}$/);
      }),
      { numRuns: 500 },
    );
  });

  it('never appear in an error message, an admin error, or a reply', async () => {
    const h = await start();
    const code = await reserveAndLink(h);
    const texts: string[] = [];
    for (const action of [
      () => h.hes.suspend(h.serial),
      () => h.hes.activate(h.serial),
      () => h.hes.reserve(h.serial, 'nobody'),
      () => h.hes.compromise('ST-none', 1),
    ]) {
      try {
        action();
      } catch (e) {
        expect(e).toBeInstanceOf(HesAdminError);
        texts.push(JSON.stringify(e), String(e));
      }
    }
    for (let i = 0; i < 3; i++) await h.unlock(WRONG_CODE);
    texts.push(JSON.stringify(await h.sync()), JSON.stringify(await h.announce()));
    texts.push(JSON.stringify(h.hes.listVaults()), JSON.stringify(h.hes.vaultStatus(h.serial)));
    h.relay.tamper = (s) => s.subarray(0, 3);
    const next = h.hes.activate(h.serial).activationCode;
    texts.push(JSON.stringify(await h.sync()));
    for (const text of texts) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(next);
    }
  });
});

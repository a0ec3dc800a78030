// "Active" is the server's word: after the right activation code the card says "checking"
// until HES has made the key Active, never Active while the server still holds it Reserved
// (the bench found an early Active, then "checking", then Active again).
import { afterEach, describe, expect, it } from 'vitest';
import { VaultStatus } from '../../../shared/vault/vault-status';
import { KEY_FAMILIES, startCompanionRig, type CompanionRig } from './companion-rig';

let c: CompanionRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe.each(KEY_FAMILIES)('Active after the right code (%s keys)', (family) => {
  it('is shown only once the server holds the key Active', async () => {
    c = await startCompanionRig(1, { family });
    const rig = c;
    const [serial = ''] = rig.serials;
    rig.devices.start();
    const code = rig.reserve(serial);
    await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    const shown: { view: string; server: VaultStatus }[] = [];
    rig.service.onSnapshot((s) => {
      const view = s.keys.find((k) => k.serialNo === serial)?.view.kind ?? '';
      shown.push({ view, server: rig.rig.server.standIn.vaultStatus(serial).status });
    });
    await rig.service.submitActivationCode(serial, code);
    await rig.until(serial, (k) => k.step === 'online');
    const early = shown.filter((s) => s.view === 'active' && s.server !== VaultStatus.Active);
    expect(early).toEqual([]);
    expect(shown.at(-1)).toEqual({ view: 'active', server: VaultStatus.Active });
    // Between the code and the server's word the card says it is checking.
    expect(shown.some((s) => s.view === 'checking')).toBe(true);
  });
});

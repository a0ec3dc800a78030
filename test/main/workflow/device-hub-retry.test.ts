// HES asks for a vault's channel again when a set-up failed, while the first device hub is
// still open. HES keeps the first hub's caller (DeviceRemoteConnections, GetOrAdd) and forgets
// that the key is connected here when a device hub closes, so the companion keeps the first
// hub and opens another: the retry then runs on the first, and the flow completes.
import { afterEach, describe, expect, it } from 'vitest';
import { VaultStatus } from '../../../shared/vault/vault-status';
import { KEY_FAMILIES, startCompanionRig, type CompanionRig } from './companion-rig';
import { hubSince, markHub, setUpSteps } from './device-hub-trace';

let c: CompanionRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

class KeyBusy extends Error {
  readonly code = 'DEVICE_BUSY';
  constructor() {
    super('the key did not answer the verify step');
  }
}

describe.each(KEY_FAMILIES)(
  'a set-up HES retries while its first hub is open (%s keys)',
  (family) => {
    it('keeps the first device hub, opens a second, and the retry completes the activation', async () => {
      let failVerify = true;
      c = await startCompanionRig(1, {
        family,
        relay: (toKeys) => async (serialNo, channel, request, signal) => {
          if (request.kind === 'verify' && failVerify) {
            failVerify = false;
            throw new KeyBusy();
          }
          return toKeys(serialNo, channel, request, signal);
        },
      });
      const [serial = ''] = c.serials;
      const mark = markHub(c);
      c.devices.start();
      const code = c.reserve(serial);
      // The first set-up fails at the verify step; the status sync that needed it fails too.
      const key = await c.until(
        serial,
        (k) => k.step === 'stopped' || k.step === 'awaitingActivationCode',
      );
      if (key.step === 'stopped') {
        expect(c.hes.openVaultChannels()).toEqual([serial]);
        await c.service.retryKey(serial);
        await c.until(serial, (k) => k.step === 'awaitingActivationCode');
      }
      await c.service.submitActivationCode(serial, code);
      expect((await c.until(serial, (k) => k.step === 'online' || k.step === 'stopped')).step).toBe(
        'online',
      );
      expect(c.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Active);
      const trace = hubSince(c, serial, mark);
      // Two channels opened, none closed: the first hub stayed for HES.
      expect(trace.filter((t) => t === 'channelOpened')).toHaveLength(2);
      expect(trace).not.toContain('channelClosed');
      expect(trace.slice(0, 3)).toEqual(['channelOpened', 'reset', 'relayFailed']);
      // The retry's set-up, then the server's messages (Link, Access…).
      const retry = trace.lastIndexOf('reset');
      expect(trace.slice(retry, retry + setUpSteps(family).length)).toEqual(setUpSteps(family));
      expect(trace.slice(retry)).toContain('message');
    });
  },
);

// DevicePendingUnlock: one pending activation is one audit event, however often the key's
// check runs again (replug, server restart, companion restart, a wrong code); a new code
// from the administrator is a new pending activation.
import { afterEach, describe, expect, it } from 'vitest';
import { WorkstationEventType } from '../../../shared/hes/dto';
import { KEY_FAMILIES, startCompanionRig, type CompanionRig } from './companion-rig';
import { settled, wrongCode } from './ipc-rig';

let c: CompanionRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

/** The DevicePendingUnlock events the server has received for the key. */
async function pendingUnlocks(rig: CompanionRig, serial: string): Promise<number> {
  await rig.untilServer('connected');
  await rig.audit.flush();
  return rig.rig.server.standIn
    .auditEvents()
    .filter(
      (e) =>
        e['eventId'] === WorkstationEventType.DevicePendingUnlock &&
        JSON.stringify(e).includes(serial),
    ).length;
}

async function replug(rig: CompanionRig): Promise<void> {
  const [key] = rig.keys;
  if (!key) throw new Error('no key');
  rig.unplugKey(key);
  await rig.until(rig.serials[0] ?? '', (k) => k.connection === 'disconnected');
  await rig.plugKey(key);
}

const asking = (rig: CompanionRig, serial: string) =>
  rig.until(serial, (k) => k.step === 'awaitingActivationCode' && k.connection === 'connected');

describe.each(KEY_FAMILIES)('DevicePendingUnlock (%s keys)', (family) => {
  it('is recorded once per pending activation, across re-runs and restarts', async () => {
    c = await startCompanionRig(1, { family });
    const rig = c;
    const [serial = ''] = rig.serials;
    const code = rig.reserve(serial);
    rig.devices.start();
    await asking(rig, serial);

    // The same activation: replugged, a wrong code, the server restarted, the companion restarted.
    await replug(rig);
    await asking(rig, serial);
    await rig.service.submitActivationCode(serial, wrongCode(code));
    await rig.until(
      serial,
      (k) => k.prompt?.kind === 'activationCode' && k.prompt.attemptsRemain === 2,
    );
    await replug(rig);
    await asking(rig, serial);
    await rig.rig.restart();
    await rig.untilServer('connected');
    await asking(rig, serial);
    await rig.restartCompanion();
    await rig.untilServer('connected');
    await asking(rig, serial);
    expect(await pendingUnlocks(rig, serial)).toBe(1);

    // Activated, then suspended with a new code: a new pending activation.
    await rig.service.submitActivationCode(serial, code);
    expect((await rig.until(serial, settled)).step).toBe('online');
    const next = rig.rig.server.standIn.suspend(serial, 'left on a train').activationCode;
    rig.typed.push(next);
    await asking(rig, serial);
    await replug(rig);
    await asking(rig, serial);
    expect(await pendingUnlocks(rig, serial)).toBe(2);
  });
});

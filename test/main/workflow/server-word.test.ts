// A key never reaches Online on a check the server could have answered: an administrator's
// Suspend, withdrawal or compromise made while the companion was down, or while the server
// was unreachable, is applied as soon as the server can say so — at the companion's start
// (the key's check waits for the connection being made), or when the server comes back
// while the user is at a prompt (the prompt gives way to the report, then asks again).
import { afterEach, describe, expect, it } from 'vitest';
import type { KeySnapshot } from '../../../shared/ipc/snapshot';
import { VaultStatus, VaultStatusReason } from '../../../shared/vault/vault-status';
import { KEY_FAMILIES, startCompanionRig, type CompanionRig } from './companion-rig';
import { expectNoSecrets } from './secrets';

let c: CompanionRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const PIN = '13572468';

/** A key activated with a PIN, Online: the state in which the sweep found the gap. */
async function activeKeyWithPin(family: (typeof KEY_FAMILIES)[number]) {
  const rig = await startCompanionRig(1, { family });
  c = rig;
  const [serial = ''] = rig.serials;
  rig.profile({ pinConnection: true });
  rig.devices.start();
  const code = rig.reserve(serial);
  await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
  await rig.service.submitActivationCode(serial, code);
  await rig.until(serial, (k) => k.step === 'awaitingNewPin');
  rig.typed.push(PIN);
  await rig.service.submitNewPin(serial, PIN, PIN);
  const next = await rig.until(serial, (k) => k.step === 'online' || k.step === 'awaitingPin');
  if (next.step === 'awaitingPin') await rig.service.submitPin(serial, PIN);
  await rig.until(serial, (k) => k.step === 'online' && k.view.kind === 'active');
  return { rig, serial };
}

/** The steps the key's card went through since `from` (an index into the snapshots). */
function stepsSince(rig: CompanionRig, serial: string, from: number): KeySnapshot['step'][] {
  const steps: KeySnapshot['step'][] = [];
  for (const s of rig.snapshots.slice(from)) {
    const step = s.keys.find((k) => k.serialNo === serial)?.step;
    if (step !== undefined && steps[steps.length - 1] !== step) steps.push(step);
  }
  return steps;
}

describe.each(KEY_FAMILIES)('the server has the last word (%s keys)', (family) => {
  it('a Suspend made while the companion was down is applied at its next start', async () => {
    const { rig, serial } = await activeKeyWithPin(family);
    const from = rig.snapshots.length;
    await rig.restartCompanion(() => {
      rig.typed.push(rig.rig.server.standIn.suspend(serial, 'left on a train').activationCode);
    });
    const asked = await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    expect(asked.view.kind).toBe('suspended');
    expect(asked.prompt).toMatchObject({ kind: 'activationCode', reason: 'suspension' });
    // Neither the PIN prompt nor Online came before the server's word.
    const steps = stepsSince(rig, serial, from);
    expect(steps).not.toContain('awaitingPin');
    expect(steps).not.toContain('online');
    expect(rig.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Suspended);
    await expectNoSecrets(rig);
  });

  it('a withdrawal made while the companion was down wipes the key at its next start', async () => {
    const { rig, serial } = await activeKeyWithPin(family);
    const from = rig.snapshots.length;
    await rig.restartCompanion(() => {
      rig.rig.server.standIn.remove(serial, VaultStatusReason.Withdrawal);
    });
    const key = await rig.until(serial, (k) => k.step === 'stopped');
    expect(key.view.kind).toBe('wiped');
    expect(stepsSince(rig, serial, from)).not.toContain('online');
    expect(rig.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Ready);
  });

  it('a compromise made while the companion was down stops the key at its next start', async () => {
    const { rig, serial } = await activeKeyWithPin(family);
    const from = rig.snapshots.length;
    await rig.restartCompanion(() => {
      rig.rig.server.standIn.compromise(serial, VaultStatusReason.Stolen, 'stolen');
    });
    const key = await rig.until(serial, (k) => k.step === 'stopped');
    // HES answers 616 to a still-linked compromised key before its status check.
    expect(key.view.kind).toBe('linkedToAnotherServer');
    const steps = stepsSince(rig, serial, from);
    expect(steps).not.toContain('awaitingPin');
    expect(steps).not.toContain('online');
  });

  it('a Suspend made while the server was unreachable interrupts the PIN prompt when it is back', async () => {
    const { rig, serial } = await activeKeyWithPin(family);
    // The companion starts with the server down: the key checks its PIN locally (offline rules).
    await rig.restartCompanion(() => rig.rig.kill());
    await rig.untilServer('offline');
    await rig.until(serial, (k) => k.step === 'awaitingPin');
    expect(rig.hes.state.state).toBe('offline');
    const from = rig.snapshots.length;
    await rig.rig.restart();
    // Before the companion reconnects (its back-off is at least 20 ms), the administrator acts.
    rig.typed.push(rig.rig.server.standIn.suspend(serial, 'left on a train').activationCode);
    const asked = await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    expect(asked.view.kind).toBe('suspended');
    expect(stepsSince(rig, serial, from)).not.toContain('online');
    expect(rig.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Suspended);
    await expectNoSecrets(rig);
  });

  it('a Suspend made while the server was unreachable reaches a key that went Online offline', async () => {
    const { rig, serial } = await activeKeyWithPin(family);
    await rig.restartCompanion(() => rig.rig.kill());
    await rig.untilServer('offline');
    await rig.until(serial, (k) => k.step === 'awaitingPin');
    await rig.service.submitPin(serial, PIN);
    const local = await rig.until(serial, (k) => k.step === 'online');
    expect(local.view.kind).toBe('serverUnreachable');
    await rig.rig.restart();
    rig.typed.push(rig.rig.server.standIn.suspend(serial, 'left on a train').activationCode);
    const asked = await rig.until(serial, (k) => k.step === 'awaitingActivationCode');
    expect(asked.view.kind).toBe('suspended');
    expect(rig.rig.server.standIn.vaultStatus(serial).status).toBe(VaultStatus.Suspended);
  });

  it('a withdrawal or a compromise made while the server was unreachable reaches the key when it is back', async () => {
    for (const action of ['withdraw', 'compromise'] as const) {
      const { rig, serial } = await activeKeyWithPin(family);
      await rig.restartCompanion(() => rig.rig.kill());
      await rig.untilServer('offline');
      await rig.until(serial, (k) => k.step === 'awaitingPin');
      const from = rig.snapshots.length;
      await rig.rig.restart();
      if (action === 'withdraw')
        rig.rig.server.standIn.remove(serial, VaultStatusReason.Withdrawal);
      else rig.rig.server.standIn.compromise(serial, VaultStatusReason.Stolen, 'stolen');
      const key = await rig.until(serial, (k) => k.step === 'stopped');
      expect(key.view.kind).toBe(action === 'withdraw' ? 'wiped' : 'linkedToAnotherServer');
      expect(stepsSince(rig, serial, from)).not.toContain('online');
      await rig.close();
      c = undefined;
    }
  });
});

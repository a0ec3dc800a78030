// Proofs of the catalogue rows about the remote channel (see ../prove.ts), keyed by row id:
// the set-up and verification, the device hub's replies, its lifecycle, and the codes the
// remote jobs answer (remote-codes.ts). A real stand-in, the real SignalR client, real keys.
import { expect } from 'vitest';
import { HesErrorCode } from '../../../../../shared/errors/hes-error-code';
import {
  HwVaultConnectionState,
  type EncryptedRequest,
  type HesResponse,
} from '../../../../../shared/hes/dto';
import type { UsbHost } from '../../../key/key-hosts';
import { openKeyPeer } from '../../server/key-peers';
import { strayDeviceHub, TestWorkstation, until } from '../../server/stand-in-hosts';
import type { ProofMap } from './proof';
import { PROOFS as CODES } from './remote-codes';
import { activeVault, remoteRig, reservedAndLinked, type RemoteRig } from './remote-rig';

const targets = (rig: RemoteRig): string[] => rig.ws.steps.map((s) => s.target);
const establishes = (ws: TestWorkstation): number =>
  ws.pushes.filter((p) => p.target === 'EstablishRemoteHwVaultConnection').length;
const base64Bytes = (value: unknown): number => Buffer.from(String(value), 'base64').length;

/** A second approved, registered workstation on the rig's server. */
export async function otherWorkstation(rig: RemoteRig, id = 'ws-other'): Promise<TestWorkstation> {
  const ws = await TestWorkstation.connect(rig.server, id);
  await ws.register();
  rig.server.standIn.approveWorkstation(id);
  expect((await ws.register()).code).toBe(0);
  return ws;
}

/** The open family's set-up: reset, then verify with no public key and a 32-byte nonce. */
async function openSetUp(): Promise<void> {
  const rig = await remoteRig({ reserved: true });
  expect((await rig.status()).code).toBe(0);
  const [reset, verify, first] = rig.ws.steps;
  expect(reset).toMatchObject({ target: 'SendResetChannel', args: [4] });
  expect(verify?.target).toBe('SendVerifyCommand');
  expect(base64Bytes(verify?.args[0])).toBe(0);
  expect(base64Bytes(verify?.args[1])).toBe(32);
  expect(verify?.args[2]).toBe(4);
  expect(first?.target).toBe('SendRemoteCommand');
  expect(targets(rig)).not.toContain('SendGetRootKeyCommand');
}

/** The Key 3 family's set-up: reset, verify (65-byte key, nonce), root key, then commands. */
async function key3SetUp(): Promise<void> {
  const rig = await remoteRig({ family: 'key3', reserved: true });
  expect((await rig.status()).code).toBe(0);
  expect((await rig.info()).lockedByCode).toBe(true);
  const [reset, verify, rootKey, first] = rig.ws.steps;
  expect(reset).toMatchObject({ target: 'SendResetChannel', args: [4] });
  expect(verify?.target).toBe('SendVerifyCommand');
  expect(base64Bytes(verify?.args[0])).toBe(65);
  expect(base64Bytes(verify?.args[1])).toBeGreaterThan(0);
  expect(verify?.args[2]).toBe(4);
  expect(rootKey).toMatchObject({ target: 'SendGetRootKeyCommand', args: [] });
  expect(first?.target).toBe('SendRemoteCommand');
}

/** A workstation whose key refuses one set-up step: the set-up fails with its text (1001). */
async function refusedStep(kind: 'verify' | 'rootKey'): Promise<void> {
  const rig = await remoteRig({
    family: kind === 'rootKey' ? 'key3' : 'open',
    reserved: true,
    peer: (inner) => (channel, request) =>
      request.kind === kind
        ? Promise.reject(new Error(`no ${kind} here`))
        : inner(channel, request),
  });
  expect(await rig.status()).toEqual({ code: 1001, message: `no ${kind} here`, data: null });
  expect(rig.commandCount()).toBe(0);
  expect(rig.server.standIn.vaultStatus(rig.serial).status).toBe(1);
}

const PROOFS_SETUP: ProofMap = {
  '1.23': async () => {
    const rig = await remoteRig({ reserved: true });
    expect((await rig.status()).code).toBe(0);
    expect(rig.ws.pushes.filter((p) => p.target === 'EstablishRemoteHwVaultConnection')).toEqual([
      { target: 'EstablishRemoteHwVaultConnection', args: [rig.serial, 4] },
    ]);
  },
  '1.29': async () => {
    const rig = await remoteRig({ reserved: true });
    await activeVault(rig);
    const next = rig.nextOutcome();
    rig.server.standIn.suspend(rig.serial);
    expect((await next).code).toBe(0);
    expect(rig.ws.pushes.map((p) => p.target)).not.toContain('LockHwVaultStorage');
    expect(rig.ws.pushes.map((p) => p.target)).not.toContain('LiftHwVaultStorageLock');
  },
  '1.30': async () => {
    const rig = await remoteRig({ reserved: true });
    await activeVault(rig);
    expect((await rig.ws.invoke('AuthHwVault', rig.serial)).code).toBe(0);
    expect(rig.ws.pushes.map((p) => p.target)).not.toContain('UnlockWorkstationRequest');
  },
  '1.31': async () => {
    const rig = await remoteRig();
    // Blank or missing ids: logged by HES, the connection kept, nothing verified on it.
    const blank = await strayDeviceHub(rig.server, { DeviceId: ' ', WorkstationId: rig.ws.id });
    const noWs = await strayDeviceHub(rig.server, { DeviceId: rig.serial });
    for (const hub of [blank, noWs]) {
      const reply = await hub.invoke<HesResponse>(
        'RemoteCommandResponse',
        { data: 'AA==', channelNo: 4 },
        null,
      );
      expect(reply.code).toBe(1001);
    }
    expect(rig.ws.steps).toEqual([]);
    // Both ids, for a vault announced there: the server builds its session and verifies it.
    await rig.ws.openDeviceHub(rig.serial);
    await rig.ws.stepsReceived(2);
    expect(targets(rig).slice(0, 2)).toEqual(['SendResetChannel', 'SendVerifyCommand']);
  },
  '1.32': async () => {
    const rig = await remoteRig();
    const without = await strayDeviceHub(rig.server, {});
    const stray = await strayDeviceHub(rig.server, { DeviceId: 'ST-none', WorkstationId: 'ws-x' });
    const calls: [string, unknown][] = [
      ['RemoteCommandResponse', { data: 'AAEC', channelNo: 4 }],
      ['VerifyCommandResponse', { replyResult: 'AAEC' }],
      ['GetRootKeyCommandResponse', { replyResult: 'AAEC' }],
    ];
    for (const [method, arg] of calls) {
      expect(await without.invoke(method, arg, null)).toEqual({
        code: 1001,
        message: 'DeviceHub does not contain DeviceId!',
        data: null,
      });
      expect(await stray.invoke(method, arg, null)).toEqual({
        code: 1001,
        message: 'Cannot find remote device in the DeviceHub',
        data: null,
      });
    }
  },
  '1.33': async () => {
    const rig = await remoteRig({ reserved: true });
    // The workstation sends an error text with every reply: HES ignores it and uses the data.
    rig.ws.commandErrorText = 'the workstation complains';
    expect((await rig.status()).code).toBe(0);
    expect((await rig.info()).lockedByCode).toBe(true);
    const hub = rig.ws.deviceHubs[0];
    if (!hub) throw new Error('no device hub');
    expect(await hub.invoke('RemoteCommandResponse', { data: '', channelNo: 4 }, 'late')).toEqual({
      code: 0,
      message: '',
      data: null,
    });
  },
  '1.34': async () => {
    await refusedStep('verify');
    await refusedStep('rootKey');
  },
  '1.35': async () => {
    await openSetUp();
    await key3SetUp();
  },
  '1.36': key3SetUp,
  '1.37': async () => {
    await openSetUp();
    await key3SetUp();
  },
  '1.38': async () => {
    for (const family of ['open', 'key3'] as const) {
      const rig = await remoteRig({ family, reserved: true });
      const code = rig.code;
      expect((await rig.status()).code).toBe(0);
      const request = rig.ws.steps.find((s) => s.target === 'SendRemoteCommand')?.args[0];
      const { buffer, contextGuid, channelNo } = request as EncryptedRequest;
      expect(channelNo).toBe(4);
      expect(buffer.channelNo).toBe(4);
      expect(contextGuid).toMatch(/^[0-9a-f-]{36}$/);
      // The payload is protected end to end: the code never shows in what the workstation relays.
      const relayed = rig.ws.commands.map((c) =>
        Buffer.from(c.buffer.data, 'base64').toString('latin1'),
      );
      expect(relayed.join('')).not.toContain(code);
    }
  },
  '1.39': async () => {
    for (const family of ['open', 'key3'] as const) {
      const rig = await remoteRig({ family, reserved: true });
      await activeVault(rig);
      expect((await rig.ws.invoke('AuthHwVault', rig.serial)).code).toBe(0);
      expect(targets(rig)).not.toContain('SendControlRemoteCommand');
    }
  },
};

const PROOFS_LIFECYCLE: ProofMap = {
  '5.1': async () => {
    // Announced through two workstations, no session anywhere: the first announcement is used.
    const rig = await remoteRig();
    const other = await otherWorkstation(rig);
    const init = await rig.dto(HwVaultConnectionState.Initializing);
    expect((await other.invoke('UpdateHwVaultProperties', init, false)).code).toBe(0);
    const first = rig.nextOutcome();
    rig.reserve();
    expect((await first).job).toBe('UpdateHardwareVaultAccounts');
    expect([establishes(rig.ws), establishes(other)]).toEqual([1, 0]);

    // Only the second workstation has a session: the background job goes there.
    const two = await remoteRig({ reserved: true });
    const second = await otherWorkstation(two);
    second.attachPeer(two.serial, openKeyPeer(two.usb as UsbHost));
    const dto = await two.dto(HwVaultConnectionState.Initializing);
    expect((await second.invoke('UpdateHwVaultProperties', dto, false)).code).toBe(0);
    expect((await second.invoke('UpdateHwVaultStatus', dto)).code).toBe(0);
    const next = two.nextOutcome();
    two.server.standIn.remove(two.serial, 3);
    expect((await next).job).toBe('UpdateHardwareVaultAccounts');
    expect([establishes(two.ws), establishes(second)]).toEqual([0, 1]);
    expect(second.commands.length).toBeGreaterThan(2);
  },
  '5.2': async () => {
    const rig = await remoteRig({ reserved: true });
    const [a, b] = await Promise.all([rig.status(), rig.status()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(establishes(rig.ws)).toBe(1);
    expect((await rig.status()).code).toBe(0);
    expect(establishes(rig.ws)).toBe(1);
    expect(rig.ws.deviceHubs).toHaveLength(1);
  },
  '5.3': async () => {
    const rig = await remoteRig({ reserved: true });
    // A device hub nobody asked for, for an announced vault: HES builds and verifies a Device,
    // then drops it (it completes a set-up that does not exist: a NullReferenceException).
    const next = rig.nextOutcome();
    await rig.ws.openDeviceHub(rig.serial);
    expect(await next).toMatchObject({ job: 'VerifyAndInitialize', code: 1001 });
    expect(targets(rig)).toEqual(['SendResetChannel', 'SendVerifyCommand']);
    expect((await rig.status()).code).toBe(0);
    expect(establishes(rig.ws)).toBe(1);
  },
  '5.4': async () => {
    await openSetUp();
    await key3SetUp();
    await refusedStep('verify');
  },
  '5.5': async () => {
    // Key 3: the server's channel is the Key 3's own, carried by the companion's Key 3 driver.
    const key3 = await remoteRig({ family: 'key3', reserved: true });
    await activeVault(key3);
    // Open: the sealed format the virtual key checks; nothing else can read or forge it.
    const open = await remoteRig({ reserved: true });
    const code = await reservedAndLinked(open);
    expect(
      open.ws.commands.every((c) => !Buffer.from(c.buffer.data, 'base64').includes(code)),
    ).toBe(true);
  },
  '5.6': async () => {
    const rig = await remoteRig({
      reserved: true,
      server: { setupTimeoutMs: 300, commandTimeoutMs: 5_000 },
    });
    rig.ws.relayMode = 'mute';
    const started = Date.now();
    expect((await rig.status()).code).toBe(HesErrorCode.RemoteConnectionTimedOut);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // The device hub connected within the limit; its verification did not finish.
    expect(targets(rig).slice(0, 2)).toEqual(['SendResetChannel', 'SendVerifyCommand']);
  },
  '5.7': async () => {
    const rig = await remoteRig({ reserved: true, server: { commandTimeoutMs: 300 } });
    rig.ws.relayMode = 'silent';
    expect(await rig.status()).toEqual({
      code: 1001,
      message: 'The operation has timed out.',
      data: null,
    });
    expect(rig.ws.deviceHubs[0]?.state).toBe('Connected');
    rig.ws.relayMode = 'relay';
    expect((await rig.status()).code).toBe(0);
    expect(establishes(rig.ws)).toBe(1);
  },
  '5.8': async () => {
    const rig = await remoteRig({ reserved: true });
    expect((await rig.status()).code).toBe(0);
    await rig.announce(HwVaultConnectionState.Offline);
    expect((await rig.status()).code).toBe(HesErrorCode.DeviceNotConnectedToAnyHost);
    await rig.announce();
    expect((await rig.status()).code).toBe(0);
    await rig.ws.appHub.stop();
    await until(() => rig.server.signalr.connections('/appHub').length === 0);
    const again = await TestWorkstation.connect(rig.server, rig.ws.id);
    expect((await again.invoke('UpdateHwVaultStatus', await rig.dto())).code).toBe(
      HesErrorCode.DeviceNotConnectedToAnyHost,
    );
  },
  '5.9': async () => {
    const rig = await remoteRig({ reserved: true });
    expect((await rig.status()).code).toBe(0);
    await rig.ws.deviceHubs[0]?.stop();
    await until(() => rig.server.signalr.connections('/deviceHub').length === 0);
    expect((await rig.status()).code).toBe(HesErrorCode.DeviceNotConnectedToAnyHost);
    expect((await rig.ws.invoke('AuthHwVault', rig.serial)).code).toBe(511);
    expect((await rig.ws.invoke('UpdateHwVaultAccounts', rig.serial, false)).code).toBe(511);
    await rig.announce();
    expect((await rig.status()).code).toBe(0);
  },
  '5.10': async () => {
    const rig = await remoteRig({ reserved: true });
    await reservedAndLinked(rig);
    for (let i = 0; i < 3; i++) await rig.unlock('000000');
    expect((await rig.status()).code).toBe(615);
    expect((await rig.status()).code).toBe(615);
    expect(rig.ws.deviceHubs[0]?.state).toBe('Connected');
    expect(establishes(rig.ws)).toBe(1);
  },
  '5.11': async () => {
    const rig = await remoteRig({
      server: { setupTimeoutMs: 300 },
      announce: false,
      reserved: true,
    });
    expect((await rig.status()).code).toBe(511);
    await rig.announce();
    rig.ws.relayMode = 'ignore';
    expect((await rig.status()).code).toBe(512);
    // The vault leaves while its set-up waits: HES keeps waiting, 512 (never 605).
    const asked = establishes(rig.ws);
    const pending = rig.status();
    await until(() => establishes(rig.ws) > asked);
    const second = await TestWorkstation.connect(rig.server, rig.ws.id);
    await second.invoke(
      'UpdateHwVaultProperties',
      await rig.dto(HwVaultConnectionState.Offline),
      false,
    );
    expect((await pending).code).toBe(512);
    expect((await rig.status()).code).toBe(511);
  },
};

export const PROOFS: ProofMap = { ...PROOFS_SETUP, ...PROOFS_LIFECYCLE, ...CODES };

// Faults end to end, with the real client (@microsoft/signalr), the real stand-in and a real
// VirtualKey on its HID link: the server killed and restarted mid-flow (reconnect, registration,
// the flow resumes, audit events neither lost nor doubled), a network drop during a remote
// command, a server slower than the call limit, malformed frames and envelopes from the server,
// and a relay that flips a byte of a sealed command (the key refuses it). Waits are on states
// and events, never on time.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditQueue, type AuditQueue } from '../../../main/audit/audit-queue';
import { auditSender } from '../../../main/hes/audit-sender';
import { HesErrorReason, isHesError } from '../../../main/hes/hes-error';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import {
  APP_HUB_PATH,
  DEVICE_HUB_PATH,
  WorkstationEventSeverity,
  WorkstationEventType,
} from '../../../shared/hes/dto';
import { VaultStatus } from '../../../shared/vault/vault-status';
import type { HubCaller } from '../../../emulator/hes/signalr';
import type { HesClientOptions } from '../../../main/hes/hes-client';
import { KeyRefusedError, type HidKey } from './hid-key';
import { approvedCompanion, startRig, type Companion, type Rig } from './stand-in-rig';
import { Workflow } from './workflow';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function setup(
  options: Partial<HesClientOptions> = {},
): Promise<{ rig: Rig; companion: Companion; flow: Workflow }> {
  const rig = await startRig();
  closers.push(() => rig.close());
  const companion = await approvedCompanion(rig, options);
  closers.push(() => companion.stop());
  const flow = new Workflow(rig, companion);
  closers.push(() => flow.closeKeys());
  return { rig, companion, flow };
}

interface Gate<T> {
  readonly promise: Promise<T>;
  open(value: T): void;
}

function gate<T = void>(): Gate<T> {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

const aborted = (signal: AbortSignal): Promise<void> =>
  signal.aborted
    ? Promise.resolve()
    : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

/** The companion's live AppHub connection, as the server holds it. */
function appHubOf(rig: Rig, companion: Companion): HubCaller {
  const caller = rig.server.signalr
    .connections(APP_HUB_PATH)
    .find((c) => c.headers['workstationid'] === companion.id);
  if (!caller) throw new Error('the companion has no AppHub connection');
  return caller;
}

/** Waits until the client has dropped its connection and made a new, registered one. */
async function reconnected(companion: Companion, before: string | null): Promise<void> {
  await companion.until((s) => s.state === 'connected' && companion.client.connectionId !== before);
}

describe('the server killed and restarted mid-flow', () => {
  it('the client goes offline, reconnects, registers again, the activation resumes, and every audit event arrives once', async () => {
    const { rig, companion, flow } = await setup();
    const queue: AuditQueue = await openAuditQueue({
      file: join(rig.dir, 'audit.sqlite'),
      workstationId: companion.id,
      send: auditSender(companion.client),
      flushIntervalMs: 60_000,
      retry: { firstMs: 60_000, maxMs: 60_000 },
      durability: 'process',
    });
    closers.push(() => queue.close());
    const key = await flow.newKey();
    const ids: string[] = [];
    const record = (eventId: WorkstationEventType, urgent = false): void => {
      ids.push(queue.record({ eventId, deviceId: key.serial }, { urgent }));
    };

    // Before: the key is announced and linked; events go out.
    record(WorkstationEventType.HESConnected);
    record(WorkstationEventType.DeviceConnect);
    const code = await flow.reserveAndLink(key);
    expect(await queue.flush()).toMatchObject({ sent: 2, remaining: 0 });
    const sentBefore = rig.db.events.list(companion.id).map((e) => e.id);
    const registrations = companion.registrations;

    // Killed while a status sync waits on the key: the call fails typed, the relay is aborted.
    const held = gate<AbortSignal>();
    companion.intercept = async (_serial, _sealed, signal) => {
      held.open(signal);
      await aborted(signal);
      throw new Error('the channel was torn down');
    };
    const pending = flow.sync(key);
    const signal = await held.promise;
    for (const caller of rig.server.signalr.connections()) caller.abort();
    await rig.kill();
    const failed = await pending;
    expect(failed.code).toBe(HesErrorCode.HesNotConnected);
    expect(failed.error?.reason).toBe(HesErrorReason.NotConnected);
    await aborted(signal);
    companion.intercept = undefined;
    await companion.until('offline');
    expect(companion.client.openVaultChannels()).toEqual([]);

    // During: the user types the code on the key; the workflow's calls and the events wait.
    expect(await key.unlock(code)).toBe(DeviceErrorCode.OK);
    const offline = await flow.announce(key);
    expect(offline.code).toBe(HesErrorCode.HesNotConnected);
    record(WorkstationEventType.DeviceLocked, true);
    record(WorkstationEventType.HESDisconnected);
    const during = await queue.flush();
    expect(during.sent).toBe(0);
    expect(isHesError(during.error, HesErrorCode.HesNotConnected)).toBe(true);
    expect(queue.pending()).toBe(2);

    // After: same port, same database file.
    await rig.restart();
    await companion.until('connected');
    expect(companion.registrations).toBeGreaterThan(registrations);
    const seen = companion.states.map((s) => s.state);
    expect(seen.lastIndexOf('offline')).toBeLessThan(seen.lastIndexOf('connected'));
    expect(seen.slice(seen.indexOf('offline'))).toContain('connected');

    const announced = await flow.announce(key);
    expect(announced.info?.needStateUpdate).toBe(true);
    expect(flow.status(key)).toBe(VaultStatus.Reserved);
    expect((await flow.sync(key)).code).toBe(0);
    expect(flow.status(key)).toBe(VaultStatus.Active);
    record(WorkstationEventType.HESConnected);
    expect(await queue.flush()).toMatchObject({ sent: 3, remaining: 0 });

    // A batch resent after a lost answer (a crash between the server's store and our delete):
    // the server skips the ids it has.
    const storedCount = rig.db.events.list(companion.id).length;
    await companion.client.saveClientEvents(
      sentBefore.map((id) => ({
        version: '1.1.0.0',
        id,
        date: new Date().toISOString(),
        timeZone: 'UTC',
        eventId: WorkstationEventType.HESConnected,
        severityId: WorkstationEventSeverity.Info,
        note: null,
        workstationId: companion.id,
        userSession: null,
        workstationSessionId: null,
        deviceId: key.serial,
        accountName: null,
        accountLogin: null,
      })),
    );
    expect(rig.db.events.list(companion.id)).toHaveLength(storedCount);

    const stored = rig.db.events.list(companion.id).map((e) => e.id);
    expect([...stored].sort()).toEqual([...ids].sort());
    expect(new Set(stored).size).toBe(stored.length);
    expect(queue.pending()).toBe(0);
  });
});

describe('a network drop during a remote command', () => {
  it('the device-hub connection drops mid-command: 1001 at once, nothing stuck; the vault is forgotten (511) until announced again', async () => {
    const { rig, companion, flow } = await setup();
    const key = await flow.newKey();
    flow.reserve(key);
    await flow.announce(key);
    const closed = companion.event('channelClosed', (e) => e.serialNo === key.serial);
    companion.intercept = async (_serial, _sealed, signal) => {
      companion.intercept = undefined;
      for (const caller of rig.server.signalr.connections(DEVICE_HUB_PATH)) caller.abort();
      await aborted(signal);
      throw new Error('the channel was torn down');
    };
    const dropped = await flow.sync(key);
    expect(dropped.code).toBe(HesErrorCode.NonHideezException);
    expect(dropped.error?.reason).toBe(HesErrorReason.Server);
    await closed;
    expect(companion.client.state.state).toBe('connected');
    expect(rig.db.vaults.get(key.serial)).toMatchObject({
      status: VaultStatus.Reserved,
      isStatusApplied: false,
    });
    expect(await flow.observed(key)).toBe('linkRequired');

    // HES's OnDeviceHubDisconnected forgot the announcement: 511 until Initializing again.
    expect((await flow.sync(key)).code).toBe(HesErrorCode.DeviceNotConnectedToAnyHost);
    await flow.announce(key);
    expect((await flow.sync(key)).code).toBe(0);
    expect(rig.db.vaults.get(key.serial)?.isStatusApplied).toBe(true);
    expect(await flow.observed(key)).toBe('lockedAttemptsLeft');
  });

  it('the key link drops mid-exchange: a typed error, nothing stuck, the flow completes over the reopened link', async () => {
    const { rig, companion, flow } = await setup();
    const key = await flow.newKey();
    const code = flow.reserve(key);
    await flow.announce(key);
    const failures: unknown[] = [];
    companion.intercept = async (_serial, sealed, _signal, forward) => {
      companion.intercept = undefined;
      // The key gets the command; its answer is lost as the cable comes out.
      const cable = key.cable;
      cable.taps = {
        read: () => {
          cable.pull();
          return undefined;
        },
      };
      try {
        return await forward(sealed);
      } catch (e) {
        failures.push(e);
        throw e;
      }
    };
    const relayFailed = companion.event('relayFailed', (e) => e.serialNo === key.serial);
    const cut = await flow.sync(key);
    expect(cut.code).toBe(HesErrorCode.NonHideezException);
    expect(cut.error?.reason).toBe(HesErrorReason.Server);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ name: 'DeviceError', code: 'DEVICE_DISCONNECTED' });
    expect((await relayFailed).problem).toMatch(/^DEVICE_DISCONNECTED/);
    expect(companion.client.state.state).toBe('connected');
    expect(rig.db.vaults.get(key.serial)).toMatchObject({
      status: VaultStatus.Reserved,
      isStatusApplied: false,
    });

    // The cable goes back in. The lost command was the sync's first (the state refresh of
    // §2.2 step 2), so the key is still blank; the flow starts over and completes.
    await key.disconnect();
    await key.connect();
    expect(await flow.observed(key)).toBe('linkRequired');
    expect((await flow.announce(key)).info?.needStateUpdate).toBe(true);
    expect((await flow.sync(key)).code).toBe(0);
    expect(flow.status(key)).toBe(VaultStatus.Reserved);
    expect(rig.db.vaults.get(key.serial)?.isStatusApplied).toBe(true);
    expect(await key.unlock(code)).toBe(DeviceErrorCode.OK);
    expect((await flow.sync(key)).code).toBe(0);
    expect(flow.status(key)).toBe(VaultStatus.Active);
  });
});

describe('a slow server', () => {
  it('a call past the client limit fails with 601 (timeout); the connection stays; the next call works', async () => {
    const { companion, flow } = await setup({ callTimeoutMs: 1_000 });
    const key = await flow.newKey();
    flow.reserve(key);
    await flow.announce(key);
    // The server cannot answer UpdateHwVaultStatus until the key's reply comes back.
    const release = gate();
    companion.intercept = async (_serial, sealed, _signal, forward) => {
      companion.intercept = undefined;
      await release.promise;
      return forward(sealed);
    };
    const slow = await flow.sync(key);
    expect(slow.code).toBe(HesErrorCode.HesNotConnected);
    expect(slow.error?.reason).toBe(HesErrorReason.Timeout);
    expect(slow.error?.toJSON()).toMatchObject({
      code: 601,
      reason: 'timeout',
      details: { target: 'UpdateHwVaultStatus' },
    });
    expect(companion.client.state.state).toBe('connected');
    release.open();
    // The server finishes the late job first (one remote job at a time per vault), then this one.
    // On a loaded machine that can itself pass the short limit: a timeout is then the right
    // answer too, so ask again (each job still runs on the server), up to a few times.
    let next = await flow.sync(key);
    for (let i = 0; i < 5 && next.code === HesErrorCode.HesNotConnected; i++) {
      next = await flow.sync(key);
    }
    expect(next.code).toBe(0);
    expect(flow.status(key)).toBe(VaultStatus.Reserved);
    expect(await flow.observed(key)).toBe('lockedAttemptsLeft');
  });
});

describe('malformed frames and envelopes from the server', () => {
  it('frames the protocol cannot parse close the connection; the client reconnects and carries on', async () => {
    const { rig, companion, flow } = await setup();
    const key = await flow.newKey();
    flow.reserve(key);
    const frames = [
      'this is not json\u001e',
      '{"type":"completion"}\u001e',
      '{"type":3,"result":{"code":0}}\u001e',
      '{"type":1,"target":"SetAlarmState","arguments":[true]\u001e',
    ];
    for (const frame of frames) {
      const before = companion.client.connectionId;
      appHubOf(rig, companion).sendRaw(frame);
      await reconnected(companion, before);
      expect(companion.client.alarm).toBe(false);
    }
    expect(companion.states.filter((s) => s.state === 'offline')).not.toHaveLength(0);
    expect(
      companion.states.every((s) => s.state !== 'offline' || s.reason === 'connectionLost'),
    ).toBe(true);
    expect((await flow.announce(key)).info?.needStateUpdate).toBe(true);
    expect((await flow.sync(key)).code).toBe(0);
  });

  it('malformed envelopes are typed errors (600) and malformed pushes are ignored; the connection stays', async () => {
    const { rig, companion, flow } = await setup();
    const key = await flow.newKey();
    flow.reserve(key);
    await flow.announce(key);
    const connectionId = companion.client.connectionId;

    const envelopes: unknown[] = [
      'not an envelope',
      { code: 'zero', message: null, data: null },
      { code: 0, message: null, data: { vaultSerialNo: 42 } },
      [],
    ];
    for (const result of envelopes) {
      // The server holds UpdateHwVaultStatus on the key; meanwhile a completion with a malformed
      // result answers the pending invocation (its id is one of the first few on this connection).
      const release = gate();
      const reached = gate();
      companion.intercept = async (_serial, sealed, _signal, forward) => {
        companion.intercept = undefined;
        reached.open();
        await release.promise;
        return forward(sealed);
      };
      const pending = flow.sync(key);
      await reached.promise;
      const caller = appHubOf(rig, companion);
      for (let id = 0; id < 200; id++) {
        caller.sendRaw(`${JSON.stringify({ type: 3, invocationId: String(id), result })}\u001e`);
      }
      const answer = await pending;
      expect(answer.code).toBe(HesErrorCode.HesUnknownError);
      expect(answer.error?.reason).toBe(HesErrorReason.MalformedResponse);
      release.open();
      // The server finishes the held job, then answers the next sync (one job at a time per vault).
      expect((await flow.sync(key)).code).toBe(0);
    }

    const rejected = companion.event('pushRejected');
    appHubOf(rig, companion).send('SetAlarmState', 'yes');
    expect(await rejected).toMatchObject({ target: 'SetAlarmState' });
    const refused = companion.event('pushRejected');
    appHubOf(rig, companion).send('EstablishRemoteHwVaultConnection', 42, 'four');
    expect(await refused).toMatchObject({ target: 'EstablishRemoteHwVaultConnection' });
    expect(companion.client.state.state).toBe('connected');
    expect(companion.client.alarm).toBe(false);
    expect(companion.client.connectionId).toBe(connectionId);

    // The late real answers were dropped; the calls work on the same connection.
    expect((await flow.announce(key)).code).toBe(0);
    expect((await flow.sync(key)).code).toBe(0);
    expect(companion.client.connectionId).toBe(connectionId);
  });
});

describe('the relay cannot alter what it relays', () => {
  it('a flipped byte in a sealed command is refused by the key (ERR_BAD_SEAL); the status does not change', async () => {
    const { rig, companion, flow } = await setup();
    const key: HidKey = await flow.newKey();
    flow.reserve(key);
    await flow.announce(key);
    const unchanged = async (): Promise<void> => {
      expect(rig.db.vaults.get(key.serial)).toMatchObject({
        status: VaultStatus.Reserved,
        isStatusApplied: false,
      });
      expect(await flow.observed(key)).toBe('linkRequired');
    };
    for (const index of [0, 5, 12, -1]) {
      const refusals: unknown[] = [];
      companion.intercept = async (_serial, sealed, _signal, forward) => {
        const copy = new Uint8Array(sealed);
        const at = index < 0 ? copy.length + index : index;
        copy[at] = (copy[at] ?? 0) ^ 0x01;
        try {
          return await forward(copy);
        } catch (e) {
          refusals.push(e);
          throw e;
        }
      };
      const relayFailed = companion.event('relayFailed', (e) => e.serialNo === key.serial);
      const result = await flow.sync(key);
      expect(result.code).toBe(HesErrorCode.NonHideezException);
      expect(result.info).toBeUndefined();
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toBeInstanceOf(KeyRefusedError);
      expect((refusals[0] as KeyRefusedError).status).toBe(DeviceErrorCode.ERR_BAD_SEAL);
      expect((await relayFailed).problem).toMatch(/^ERR_BAD_SEAL/);
      await unchanged();
    }
    companion.intercept = undefined;
    expect((await flow.sync(key)).code).toBe(0);
    expect(rig.db.vaults.get(key.serial)?.isStatusApplied).toBe(true);
    expect(await flow.observed(key)).toBe('lockedAttemptsLeft');
  });
});

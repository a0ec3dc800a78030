// startCompanionApp over the real parts: the HES stand-in (temp SQLite, ephemeral port),
// a virtual key on the emulator's USB bus found by the REAL HID discovery, and the router.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProtocolKeys } from '../../../device/open-protocol/open-discovery';
import { createHidDiscovery } from '../../../device/transport/hid';
import { startHesStandIn, type HesStandInServer } from '../../../emulator/hes/server';
import { provisionKeys } from '../../../emulator/key/provision';
import { VirtualKey } from '../../../emulator/key/virtual-key';
import { VirtualUsbBus } from '../../../emulator/link/virtual-usb-bus';
import { startCompanionApp, type CompanionApp } from '../../../main/app/companion-app';
import type { LogLine } from '../../../main/app/log-line';
import { WorkstationEventType } from '../../../shared/hes/dto';
import type { AppSnapshot } from '../../../shared/ipc/snapshot';
import type { ServerConnection } from '../../../shared/view/server-state';

const HANDLE_TYPES = new Set(['TCPSocketWrap', 'TCPServerWrap', 'Timeout', 'FSReqPromise']);
const handles = (): number =>
  process.getActiveResourcesInfo().filter((type) => HANDLE_TYPES.has(type)).length;

function untilServer(app: CompanionApp, state: ServerConnection['state']): Promise<void> {
  return new Promise((resolve) => {
    if (app.hes.state.state === state) return resolve();
    const off = app.hes.onState((s) => {
      if (s.state !== state) return;
      off();
      resolve();
    });
  });
}

function untilSnapshot(app: CompanionApp, match: (s: AppSnapshot) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (match(app.service.snapshot())) return resolve();
    const off = app.router.onEvent((e) => {
      if (e.name !== 'snapshot' || !match(e.payload)) return;
      off();
      resolve();
    });
  });
}

/**
 * A TCP relay to the server that can go silent: it keeps every connection open and stops
 * passing bytes either way, as a server that hangs does.
 */
async function silentableRelay(port: number) {
  let silent = false;
  const sockets: Socket[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.push(client, upstream);
    client.on('data', (d) => {
      if (!silent) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!silent) client.write(d);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    silence: () => {
      silent = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('startCompanionApp', () => {
  let dir = '';
  let server: HesStandInServer | undefined;
  let keys: VirtualKey[] = [];
  let app: CompanionApp | undefined;

  afterEach(async () => {
    await app?.stop();
    for (const key of keys) key.unplug();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('composes the services: the key shows through the router, and stop() leaves no handles', async () => {
    const before = handles();
    dir = await mkdtemp(join(tmpdir(), 'companion-app-'));
    server = await startHesStandIn({ dbFile: join(dir, 'hes.sqlite'), port: 0 });
    const records = await provisionKeys(join(dir, 'keys'), 1);
    server.standIn.importVaults(records);
    keys = await VirtualKey.openFolder(join(dir, 'keys'), { hashCost: 16 });
    const bus = new VirtualUsbBus(keys);
    const serial = records[0]!.serialNo;

    app = await startCompanionApp({
      dataDir: join(dir, 'app'),
      serverUrl: server.url,
      discoveries: [openProtocolKeys(createHidDiscovery({ hid: bus.nodeHid, usb: bus.usb }))],
      appVersion: '0.0.0-test',
    });
    expect(app.workstationId).toMatch(/^[0-9a-f-]{36}$/);
    await untilServer(app, 'notApproved');
    server.standIn.approveWorkstation(app.workstationId);
    await untilServer(app, 'connected');
    await untilSnapshot(app, (s) => s.keys.some((k) => k.serialNo === serial));

    const answer = await app.router.handle('getSnapshot', []);
    expect(answer.ok).toBe(true);
    const snapshot = (answer as { ok: true; value: AppSnapshot }).value;
    expect(snapshot.server.connection.state).toBe('connected');
    expect(snapshot.keys.map((k) => k.serialNo)).toContain(serial);
    expect(await app.router.handle('noSuchCommand', [])).toMatchObject({ ok: false });

    // The same data dir keeps the same workstation id.
    const id = app.workstationId;
    await app.stop();
    await app.stop(); // idempotent
    app = await startCompanionApp({
      dataDir: join(dir, 'app'),
      serverUrl: undefined,
      discoveries: [],
      appVersion: '0.0.0-test',
    });
    expect(app.workstationId).toBe(id);
    await app.stop();
    app = undefined;

    for (const key of keys) key.unplug();
    keys = [];
    await server.close();
    server = undefined;
    // Handles being closed go away within a turn of the event loop.
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    expect(handles()).toBeLessThanOrEqual(before);
  });

  it('logs why an audit flush failed: the HES code, its name and reason, never a bare code', async () => {
    dir = await mkdtemp(join(tmpdir(), 'companion-app-'));
    server = await startHesStandIn({ dbFile: join(dir, 'hes.sqlite'), port: 0 });
    const lines: LogLine[] = [];
    let logged: () => void = () => undefined;
    const flushFailed = new Promise<void>((resolve) => (logged = resolve));
    app = await startCompanionApp({
      dataDir: join(dir, 'app'),
      serverUrl: server.url,
      discoveries: [],
      appVersion: '0.0.0-test',
      onLog: (line) => {
        lines.push(line);
        if (line.code.startsWith('AUDIT_')) logged();
      },
    });
    // Not approved: the urgent event's flush cannot reach SaveClientEvents.
    await untilServer(app, 'notApproved');
    app.audit.record({ eventId: WorkstationEventType.DeviceLocked, deviceId: 'ST10000000000001' });
    await flushFailed;
    const line = lines.find((l) => l.code.startsWith('AUDIT_'));
    expect(line).toMatchObject({ level: 'warn', code: 'AUDIT_FLUSH_FAILED' });
    expect(line?.message).toMatch(
      /^audit flush failed: HES 601 HesNotConnected \(notConnected\): /,
    );
  });

  /** The app over a stand-in (optionally through `via`), one virtual key reserved for Ann. */
  async function appWithReservedKey(via?: (port: number) => Promise<{ url: string }>) {
    dir = await mkdtemp(join(tmpdir(), 'companion-app-'));
    server = await startHesStandIn({ dbFile: join(dir, 'hes.sqlite'), port: 0 });
    const records = await provisionKeys(join(dir, 'keys'), 1);
    server.standIn.importVaults(records);
    const serial = records[0]!.serialNo;
    const employee = server.standIn.addEmployee({ firstName: 'Ann', lastName: 'Lee' });
    server.standIn.reserve(serial, employee.id);
    keys = await VirtualKey.openFolder(join(dir, 'keys'), { hashCost: 16 });
    const bus = new VirtualUsbBus(keys);
    const serverUrl = via ? (await via(server.port)).url : server.url;
    const lines: LogLine[] = [];
    app = await startCompanionApp({
      dataDir: join(dir, 'app'),
      serverUrl,
      discoveries: [openProtocolKeys(createHidDiscovery({ hid: bus.nodeHid, usb: bus.usb }))],
      appVersion: '0.0.0-test',
      farewellLimitMs: 500,
      onLog: (line) => lines.push(line),
    });
    await untilServer(app, 'notApproved');
    server.standIn.approveWorkstation(app.workstationId);
    await untilServer(app, 'connected');
    await untilSnapshot(app, (s) =>
      s.keys.some((k) => k.serialNo === serial && k.step === 'awaitingActivationCode'),
    );
    return { app, server, serial, employeeId: employee.id, lines };
  }

  it('stop() reports each connected key Offline and sends the queued audit events', async () => {
    const { app: running, server: hes, serial, employeeId } = await appWithReservedKey();
    const lastSeen = (): unknown => hes.standIn.employeeEntity(employeeId)?.['lastSeen'];
    expect(lastSeen()).toBeNull();
    const stored = (): number =>
      hes.standIn.auditEvents().filter((e) => e['eventId'] === WorkstationEventType.ComputerLock)
        .length;
    // Not urgent: without the goodbye it would wait for the next periodic flush.
    running.audit.record({ eventId: WorkstationEventType.ComputerLock, deviceId: serial });
    expect(stored()).toBe(0);
    await running.stop();
    app = undefined;
    // HES records the owner's last sighting only on an Offline report.
    expect(lastSeen()).not.toBeNull();
    expect(stored()).toBe(1);
  });

  it('a server that stops answering cannot hold the exit: stop() gives up after its limit and says so', async () => {
    let relay: Awaited<ReturnType<typeof silentableRelay>> | undefined;
    const { app: running, lines } = await appWithReservedKey(async (port) => {
      relay = await silentableRelay(port);
      return relay;
    });
    running.audit.record({ eventId: WorkstationEventType.ComputerLock, deviceId: 'ST1' });
    relay?.silence();
    // The client's own call limit is 15 s; the test's is 10 s: only the goodbye's limit ends it.
    await running.stop();
    app = undefined;
    expect(lines.some((l) => l.code === 'FAREWELL_TIMED_OUT')).toBe(true);
    await relay?.close();
  }, 10_000);
});

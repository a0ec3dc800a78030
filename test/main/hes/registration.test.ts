// The client against a test HES over the real SignalR protocol: connection,
// registration and approval, alarm, reconnect, server switch.
import { afterEach, describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { WORKSTATION_ID, startClient, stopClients } from './client-harness';
import { fail, ok, TestHes } from './hes-test-server';

const servers: TestHes[] = [];
async function hes(port = 0): Promise<TestHes> {
  const server = await TestHes.start(port);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await stopClients();
  while (servers.length > 0) await servers.pop()?.stop();
});

describe('connecting and registering', () => {
  it('connects to /appHub with the WorkstationId header and registers with every field', async () => {
    const server = await hes();
    const h = startClient(server.base);
    const call = await server.next('RegisterWorkstationInfo');
    expect(call.caller.headers['workstationid']).toBe(WORKSTATION_ID);
    expect(call.args).toEqual([
      {
        id: WORKSTATION_ID,
        machineName: 'PC-01',
        domain: 'CORP',
        appVersion: '0.1.0',
        osName: 'Linux',
        osVersion: '6.8',
        osBuild: '6.8.0-1',
        ip: '10.0.0.5',
        mac: 'AA:BB:CC:DD:EE:FF',
        users: ['alice'],
        isAlarmTurnOn: false,
      },
    ]);
    await h.untilState('connected');
    expect(h.states.map((s) => s.state)).toEqual(['connecting', 'connected']);
  });

  it('is not configured without an address, and says so for a bad stored one', () => {
    expect(startClient(undefined).client.state).toEqual({ state: 'notConfigured' });
    const h = startClient('ftp://hes.corp');
    expect(h.client.state).toEqual({ state: 'notConfigured' });
  });

  it('on 604 stays connected as notApproved, retries, and turns connected on WorkstationApproved', async () => {
    const server = await hes();
    server.replies.set('RegisterWorkstationInfo', () =>
      fail(HesErrorCode.HesWorkstationNotApproved),
    );
    const h = startClient(server.base);
    await h.untilState('notApproved');
    // The connection stays and registration is retried periodically.
    await server.next('RegisterWorkstationInfo');
    await server.next('RegisterWorkstationInfo');
    expect(server.signalr.connections('/appHub')).toHaveLength(1);
    // Calls still go out: the server's gate answers them (this test peer has no gate).
    await expect(h.client.updateHwVaultAccounts('ST1', true)).resolves.toBeUndefined();

    server.replies.set('RegisterWorkstationInfo', () => ok());
    server.appCaller().send('WorkstationApproved');
    await h.untilState('connected');
    await server.next('RegisterWorkstationInfo');
    expect(h.client.state).toEqual({ state: 'connected' });
  });

  it('on WorkstationUnapproved turns notApproved at once', async () => {
    const server = await hes();
    const h = startClient(server.base);
    await h.untilState('connected');
    server.replies.set('RegisterWorkstationInfo', () =>
      fail(HesErrorCode.HesWorkstationNotApproved),
    );
    server.appCaller().send('WorkstationUnapproved');
    await h.untilState('notApproved');
  });

  it('on 618 shows the alarm until SetAlarmState(false), and sends the alarm it knows', async () => {
    const server = await hes();
    server.replies.set('RegisterWorkstationInfo', () => fail(HesErrorCode.HesAlarm));
    const h = startClient(server.base);
    await h.untilState('alarm');
    expect(h.client.alarm).toBe(true);
    // The next registration tells the server the alarm is on here.
    await server.next('RegisterWorkstationInfo');
    await server.next('RegisterWorkstationInfo');
    const retried = await server.next('RegisterWorkstationInfo');
    expect(retried.args[0]).toMatchObject({ isAlarmTurnOn: true });

    server.replies.set('RegisterWorkstationInfo', () => ok());
    server.appCaller().send('SetAlarmState', false);
    await h.untilState('connected');
    expect(h.client.alarm).toBe(false);
  });

  it('turns to alarm at once on SetAlarmState(true)', async () => {
    const server = await hes();
    const h = startClient(server.base);
    await h.untilState('connected');
    server.appCaller().send('SetAlarmState', true);
    await h.untilState('alarm');
  });

  it('passes proximity settings and the RFID flag on, and ignores malformed pushes', async () => {
    const server = await hes();
    const h = startClient(server.base);
    await h.untilState('connected');
    const settings = [
      { serialNo: 'ST1', mac: 'AA', lockProximity: 30, unlockProximity: 70, lockTimeout: 5 },
    ];
    const proximity = h.event('proximitySettings');
    server.appCaller().send('UpdateProximitySettings', settings);
    expect((await proximity).settings).toEqual(settings);
    expect(h.client.proximitySettings).toEqual(settings);

    const rejected = h.event('pushRejected');
    server.appCaller().send('SetAlarmState', 'yes');
    expect(await rejected).toEqual({
      type: 'pushRejected',
      target: 'SetAlarmState',
      problem: 'isEnabled is not a boolean',
    });
    const rejectedList = h.event('pushRejected');
    server.appCaller().send('UpdateProximitySettings', [{ ...settings[0], lockProximity: 400 }]);
    await rejectedList;
    const rfid = h.event('rfidIndicator');
    server.appCaller().send('UpdateRFIDIndicatorState', true);
    expect(await rfid).toEqual({ type: 'rfidIndicator', enabled: true });
    expect(h.client.state).toEqual({ state: 'connected' });
    expect(h.client.proximitySettings).toEqual(settings);
  });
});

describe('losing and regaining the server', () => {
  it('goes offline when the server stops, and reconnects and registers again when it is back', async () => {
    const first = await hes();
    const port = first.port;
    const h = startClient(first.base);
    await h.untilState('connected');
    await first.next('RegisterWorkstationInfo');
    servers.pop();
    await first.stop();
    await h.untilState('offline');
    const second = await hes(port);
    await h.untilState('connected');
    const call = await second.next('RegisterWorkstationInfo');
    expect(call.caller.headers['workstationid']).toBe(WORKSTATION_ID);
    const names = h.states.map((s) => s.state);
    expect(names.slice(names.indexOf('offline'))).toContain('connected');
  });

  it('keeps retrying a first connect that finds nobody, then connects', async () => {
    const probe = await hes();
    const port = probe.port;
    servers.pop();
    await probe.stop();
    const h = startClient(`http://127.0.0.1:${port}`);
    const offline = await h.untilState('offline');
    expect(offline).toEqual({ state: 'offline', reason: 'unreachable' });
    await hes(port);
    await h.untilState('connected');
  });

  it('retryNow ends the back-off wait: with an hour-long back-off it still reconnects', async () => {
    const probe = await hes();
    const port = probe.port;
    servers.pop();
    await probe.stop();
    const hour = 3_600_000;
    const h = startClient(`http://127.0.0.1:${port}`, {
      reconnect: { firstMs: hour, stepMs: hour, maxMs: hour, jitter: 0 },
    });
    await h.untilState('offline');
    await hes(port);
    // Without retryNow the next attempt is an hour away (past the test's limit).
    h.client.retryNow();
    await h.untilState('connected');
    h.client.retryNow(); // harmless while connected
    expect(h.client.state.state).toBe('connected');
  });

  it('survives malformed frames from the server: offline, then connected again', async () => {
    const server = await hes();
    const h = startClient(server.base);
    await h.untilState('connected');
    await server.next('RegisterWorkstationInfo');
    server.appCaller().sendRaw('this is not json\u001e');
    await h.untilState('offline');
    await h.untilState('connected');
    await server.next('RegisterWorkstationInfo');
  });

  it('survives a dropped socket and a Close message with an error', async () => {
    const server = await hes();
    const h = startClient(server.base);
    await h.untilState('connected');
    server.appCaller().abort();
    await h.until((s) => s.state === 'offline' && s.reason === 'connectionLost');
    await h.untilState('connected');
    server.appCaller().close('Server is shutting down.');
    await h.untilState('offline');
    await h.untilState('connected');
  });
});

describe('changing the server at run time', () => {
  it('refuses a bad address and an unreachable one, and keeps the current server', async () => {
    const server = await hes();
    const h = startClient(server.base);
    await h.untilState('connected');
    await expect(h.client.setServerUrl('https://user:pw@hes.corp')).rejects.toMatchObject({
      reason: 'invalidServerUrl',
    });
    const gone = await TestHes.start();
    const gonePort = gone.port;
    await gone.stop();
    await expect(h.client.setServerUrl(`http://127.0.0.1:${gonePort}`)).rejects.toMatchObject({
      reason: 'unreachable',
    });
    expect(h.client.serverUrl).toBe(server.base);
    expect(h.client.state).toEqual({ state: 'connected' });
  });

  it('moves to a new server after the connectivity check, and to notConfigured on an empty one', async () => {
    const first = await hes();
    const second = await hes();
    const h = startClient(first.base);
    await h.untilState('connected');
    await h.client.setServerUrl(`${second.base}/`);
    expect(h.client.serverUrl).toBe(second.base);
    await h.untilState('connected');
    const call = await second.next('RegisterWorkstationInfo');
    expect(call.hub).toBe('/appHub');
    expect(first.signalr.connections('/appHub')).toHaveLength(0);
    await h.client.setServerUrl('');
    expect(h.client.state).toEqual({ state: 'notConfigured' });
  });
});

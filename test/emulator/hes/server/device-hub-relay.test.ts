// The /deviceHub relay on its own: set-up, reuse, one command at a time, timeouts and teardown,
// with the real AppHub connection registry and peers that record what the server sends.
import { describe, expect, it } from 'vitest';
import { HesErrorCode } from '../../../../shared/errors/hes-error-code';
import type { EncryptedRequest } from '../../../../shared/hes/dto';
import { HesCodeError } from '../../../../emulator/hes/domain/ports';
import { AppHubConnections } from '../../../../emulator/hes/hubs/app-hub-connections';
import { DeviceHubRelay } from '../../../../emulator/hes/relay/device-hub-relay';

class Peer {
  readonly sent: { target: string; args: unknown[] }[] = [];
  closed = false;

  constructor(
    readonly connectionId: string,
    readonly headers: Record<string, string> = {},
  ) {}

  send(target: string, ...args: unknown[]): void {
    this.sent.push({ target, args });
  }

  close(): void {
    this.closed = true;
  }
}

const codeOf = async (promise: Promise<unknown>): Promise<number | undefined> => {
  try {
    await promise;
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(HesCodeError);
    return (e as HesCodeError).code;
  }
};

function setup(options: { setupTimeoutMs?: number; commandTimeoutMs?: number } = {}) {
  const connections = new AppHubConnections();
  const relay = new DeviceHubRelay({ notifier: connections, ...options });
  const app = new Peer('app-1');
  connections.bind('ws-1', app);
  const device = new Peer('dev-1', { deviceid: 'ST1', workstationid: 'ws-1' });
  return { connections, relay, app, device };
}

const sentBuffer = (peer: Peer, index: number): string =>
  (peer.sent[index]?.args[0] as EncryptedRequest).buffer.data;

describe('DeviceHubRelay', () => {
  it('asks the workstation once for concurrent opens, and reuses the open channel', async () => {
    const { relay, app, device } = setup();
    const first = relay.open('ST1', 'ws-1');
    const second = relay.open('ST1', 'ws-1');
    expect(app.sent).toEqual([{ target: 'EstablishRemoteHwVaultConnection', args: ['ST1', 4] }]);
    relay.deviceHubConnected(device);
    const channel = await first;
    expect(await second).toBe(channel);
    expect(await relay.open('ST1', 'ws-1')).toBe(channel);
    expect(app.sent.length).toBe(1);
  });

  it('rejects with 605 when the workstation has no live AppHub connection', async () => {
    const { relay } = setup();
    expect(await codeOf(relay.open('ST1', 'ws-gone'))).toBe(
      HesErrorCode.HesFailedEstablishRemoteDeviceConnection,
    );
  });

  it('rejects a set-up with 512 when no device hub comes, and with 605 when the workstation leaves', async () => {
    const slow = setup({ setupTimeoutMs: 20 });
    expect(await codeOf(slow.relay.open('ST1', 'ws-1'))).toBe(
      HesErrorCode.RemoteConnectionTimedOut,
    );

    const { relay } = setup();
    const pending = relay.open('ST1', 'ws-1');
    relay.workstationDisconnected('ws-1');
    expect(await codeOf(pending)).toBe(HesErrorCode.HesFailedEstablishRemoteDeviceConnection);
  });

  it('ignores device hubs nobody asked for or with other headers', async () => {
    const { relay, device } = setup({ setupTimeoutMs: 20 });
    relay.deviceHubConnected(device);
    expect(relay.hasSession('dev-1')).toBe(false);
    const pending = relay.open('ST1', 'ws-1');
    relay.deviceHubConnected(new Peer('dev-2', { deviceid: 'ST2', workstationid: 'ws-1' }));
    relay.deviceHubConnected(new Peer('dev-3', { deviceid: 'ST1' }));
    expect(await codeOf(pending)).toBe(HesErrorCode.RemoteConnectionTimedOut);
  });

  it('relays one command at a time and resolves each with its reply bytes', async () => {
    const { relay, device } = setup();
    const opening = relay.open('ST1', 'ws-1');
    relay.deviceHubConnected(device);
    const channel = await opening;
    const a = channel.exchange(Uint8Array.of(1, 2, 3));
    const b = channel.exchange(Uint8Array.of(4));
    await Promise.resolve();
    expect(device.sent.map((s) => s.target)).toEqual(['SendRemoteCommand']);
    expect(sentBuffer(device, 0)).toBe('AQID');
    relay.remoteCommandResponse('dev-1', { kind: 'reply', bytes: Uint8Array.of(9) });
    expect(await a).toEqual(Uint8Array.of(9));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sentBuffer(device, 1)).toBe('BA==');
    relay.remoteCommandResponse('dev-1', { kind: 'error', error: 'the key went away' });
    expect(await codeOf(b)).toBe(HesErrorCode.NonHideezException);
  });

  it('fails a command at once when its device hub drops, and drops the session after a timeout', async () => {
    const { relay, device } = setup({ commandTimeoutMs: 20 });
    const opening = relay.open('ST1', 'ws-1');
    relay.deviceHubConnected(device);
    const channel = await opening;
    expect(await codeOf(channel.exchange(Uint8Array.of(1)))).toBe(
      HesErrorCode.RemoteConnectionTimedOut,
    );
    expect(device.closed).toBe(true);
    expect(relay.hasSession('dev-1')).toBe(false);

    const again = relay.open('ST1', 'ws-1');
    const device2 = new Peer('dev-2', { deviceid: 'ST1', workstationid: 'ws-1' });
    relay.deviceHubConnected(device2);
    const channel2 = await again;
    expect(channel2).not.toBe(channel);
    const inFlight = channel2.exchange(Uint8Array.of(2));
    relay.deviceHubDisconnected('dev-2');
    expect(await codeOf(inFlight)).toBe(HesErrorCode.HesDeviceHubDisconnected);
  });

  it('tears the session down when the vault goes offline or the workstation disconnects', async () => {
    const { relay, device } = setup();
    const opening = relay.open('ST1', 'ws-1');
    relay.deviceHubConnected(device);
    const channel = await opening;
    const inFlight = channel.exchange(Uint8Array.of(1));
    relay.vaultOffline('ST1', 'ws-1');
    expect(await codeOf(inFlight)).toBe(HesErrorCode.HesDeviceHubDisconnected);
    expect(device.closed).toBe(true);

    const reopening = relay.open('ST1', 'ws-1');
    const device2 = new Peer('dev-2', { deviceid: 'ST1', workstationid: 'ws-1' });
    relay.deviceHubConnected(device2);
    await reopening;
    relay.workstationDisconnected('ws-1');
    expect(device2.closed).toBe(true);
    expect(relay.hasSession('dev-2')).toBe(false);
  });
});

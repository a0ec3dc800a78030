// The /deviceHub relay on its own (HES's DeviceConnectionContainer and DeviceHub): the
// EstablishRemoteHwVaultConnection push, device-hub connections offered to the domain, one
// request at a time, HES's reply rules and texts, timeouts and teardown — with the real
// AppHub connection registry and peers that record what the server sends.
import { describe, expect, it } from 'vitest';
import type { EncryptedRequest } from '../../../../shared/hes/dto';
import {
  NonHideezError,
  NonHideezReason,
  TIMEOUT_TEXT,
  type DeviceHubListener,
  type VaultChannel,
} from '../../../../emulator/hes/domain/ports';
import { AppHubConnections } from '../../../../emulator/hes/hubs/app-hub-connections';
import { DeviceHubRefusal, DeviceHubRelay } from '../../../../emulator/hes/relay/device-hub-relay';

class Peer {
  readonly sent: { target: string; args: unknown[] }[] = [];

  constructor(
    readonly connectionId: string,
    readonly headers: Record<string, string> = {},
  ) {}

  send(target: string, ...args: unknown[]): void {
    this.sent.push({ target, args });
  }
}

/** The domain's side: accepts the pairs it was told to, records the rest. */
class Listener implements DeviceHubListener {
  readonly accepted = new Set<string>();
  readonly channels: VaultChannel[] = [];
  readonly gone: string[] = [];
  closed = false;

  deviceHubConnected(vaultId: string, workstationId: string, channel: VaultChannel): boolean {
    if (!this.accepted.has(`${vaultId}/${workstationId}`)) return false;
    this.channels.push(channel);
    return true;
  }

  deviceHubDisconnected(vaultId: string, workstationId: string): void {
    this.gone.push(`${vaultId}/${workstationId}`);
  }

  relayClosed(): void {
    this.closed = true;
  }
}

const failure = async (promise: Promise<unknown>): Promise<NonHideezError> => {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(NonHideezError);
    return e as NonHideezError;
  }
  throw new Error('expected a failure');
};

function setup(options: { commandTimeoutMs?: number } = {}) {
  const connections = new AppHubConnections();
  const pairsGone: string[] = [];
  const relay = new DeviceHubRelay({
    notifier: connections,
    onPairGone: (vaultId, workstationId) => pairsGone.push(`${vaultId}/${workstationId}`),
    ...options,
  });
  const listener = new Listener();
  relay.listen(listener);
  listener.accepted.add('ST1/ws-1');
  const app = new Peer('app-1');
  connections.bind('ws-1', app);
  const device = new Peer('dev-1', { deviceid: 'ST1', workstationid: 'ws-1' });
  return { relay, listener, app, device, pairsGone };
}

/** An accepted device hub and its channel. */
function connected(options: { commandTimeoutMs?: number } = {}) {
  const parts = setup(options);
  parts.relay.deviceHubConnected(parts.device);
  const channel = parts.listener.channels[0];
  if (!channel) throw new Error('the device hub was not offered');
  return { ...parts, channel };
}

const reply = (bytes: number[], error: string | null = null) => ({
  bytes: Uint8Array.from(bytes),
  error,
});
const sentBuffer = (peer: Peer, index: number): string =>
  (peer.sent[index]?.args[0] as EncryptedRequest).buffer.data;
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('DeviceHubRelay', () => {
  it('sends EstablishRemoteHwVaultConnection(serial, 4) to the live AppHub connection', () => {
    const { relay, app } = setup();
    expect(relay.establish('ST1', 'ws-1')).toBe(true);
    expect(app.sent).toEqual([{ target: 'EstablishRemoteHwVaultConnection', args: ['ST1', 4] }]);
    expect(relay.establish('ST1', 'ws-gone')).toBe(false);
    expect(relay.setupTimeoutMs).toBe(20_000);
  });

  it('offers only connections with both ids; their replies answer as HES does', () => {
    const { relay, listener, device } = setup();
    const blank = new Peer('dev-2', { deviceid: ' ', workstationid: 'ws-1' });
    const noWorkstation = new Peer('dev-3', { deviceid: 'ST1' });
    const other = new Peer('dev-4', { deviceid: 'ST2', workstationid: 'ws-1' });
    for (const peer of [blank, noWorkstation, other, device]) relay.deviceHubConnected(peer);
    expect(listener.channels).toHaveLength(1);
    expect(relay.response('dev-2', reply([1]), 'remoteCommand')).toBe(DeviceHubRefusal.NoIds);
    expect(relay.response('dev-3', reply([1]), 'verify')).toBe(DeviceHubRefusal.NoIds);
    expect(relay.response('dev-4', reply([1]), 'rootKey')).toBe(DeviceHubRefusal.NoDevice);
    // Accepted: Ok, even when nobody waits for the answer.
    expect(relay.response('dev-1', reply([1]), 'remoteCommand')).toBeUndefined();
    expect(relay.hasSession('dev-1')).toBe(true);
    expect(relay.hasSession('dev-4')).toBe(false);
  });

  it('relays one request at a time; a RemoteCommandResponse error text is ignored', async () => {
    const { relay, device, channel } = connected();
    const a = channel.exchange(Uint8Array.of(1, 2, 3));
    const b = channel.exchange(Uint8Array.of(4));
    await settle();
    expect(device.sent.map((s) => s.target)).toEqual(['SendRemoteCommand']);
    expect(sentBuffer(device, 0)).toBe('AQID');
    relay.response('dev-1', reply([9], 'the workstation says something'), 'remoteCommand');
    expect(await a).toEqual(Uint8Array.of(9));
    await settle();
    expect(sentBuffer(device, 1)).toBe('BA==');
    // An empty buffer with an error text is still the reply: the family finds it does not open.
    relay.response('dev-1', reply([], 'key status 16'), 'remoteCommand');
    expect(await b).toEqual(new Uint8Array(0));
  });

  it('sends the set-up steps in order; a set-up reply with an error text fails that step', async () => {
    const { relay, device, channel } = connected();
    const reset = channel.resetChannel(4);
    const verify = channel.verify(new Uint8Array(0), Uint8Array.of(7, 7), 4);
    await reset;
    await settle();
    expect(device.sent).toEqual([
      { target: 'SendResetChannel', args: [4] },
      { target: 'SendVerifyCommand', args: ['', 'Bwc=', 4] },
    ]);
    // A reply of another kind finds nobody waiting for it.
    relay.response('dev-1', reply([1]), 'rootKey');
    relay.response('dev-1', reply([5]), 'verify');
    expect(await verify).toEqual(Uint8Array.of(5));
    const rootKey = channel.rootKey();
    await settle();
    expect(device.sent[2]).toEqual({ target: 'SendGetRootKeyCommand', args: [] });
    relay.response('dev-1', reply([], 'no key here'), 'rootKey');
    const e = await failure(rootKey);
    expect(e.reason).toBe(NonHideezReason.WorkstationError);
    expect(e.message).toBe('no key here');
  });

  it('a round trip past its limit fails with 1001 and the channel stays usable', async () => {
    const { relay, channel } = connected({ commandTimeoutMs: 20 });
    const timedOut = await failure(channel.exchange(Uint8Array.of(1)));
    expect(timedOut.message).toBe(TIMEOUT_TEXT);
    expect(relay.hasSession('dev-1')).toBe(true);
    const next = channel.exchange(Uint8Array.of(2));
    await settle();
    relay.response('dev-1', reply([3]), 'remoteCommand');
    expect(await next).toEqual(Uint8Array.of(3));
  });

  it('a device hub that drops fails its waiting request at once and tells the domain', async () => {
    const { relay, listener, channel, pairsGone } = connected();
    const inFlight = channel.exchange(Uint8Array.of(2));
    relay.deviceHubDisconnected('dev-1');
    expect((await failure(inFlight)).reason).toBe(NonHideezReason.DeviceHubClosed);
    expect(listener.gone).toEqual(['ST1/ws-1']);
    expect(pairsGone).toEqual(['ST1/ws-1']);
    expect(relay.response('dev-1', reply([1]), 'remoteCommand')).toBe(DeviceHubRefusal.NoIds);
    // A connection the domain did not accept still says its pair is gone when it drops.
    relay.deviceHubConnected(new Peer('dev-5', { deviceid: 'ST9', workstationid: 'ws-1' }));
    relay.deviceHubDisconnected('dev-5');
    expect(listener.gone).toEqual(['ST1/ws-1', 'ST9/ws-1']);
  });

  it('keeps a pair on its first connection (HES GetOrAdd) until one of the pair drops', () => {
    const { relay, listener } = connected();
    relay.deviceHubConnected(new Peer('dev-6', { deviceid: 'ST1', workstationid: 'ws-1' }));
    expect(listener.channels).toHaveLength(2);
    expect(listener.channels[1]).toBe(listener.channels[0]);
    relay.deviceHubDisconnected('dev-6');
    expect(relay.hasSession('dev-1')).toBe(false);
  });

  it('never closes a device hub itself: Offline and AppHub loss leave the connection alone', async () => {
    const { relay, channel } = connected();
    relay.vaultOffline('ST1', 'ws-1');
    relay.workstationDisconnected('ws-1');
    expect(relay.hasSession('dev-1')).toBe(true);
    const next = channel.exchange(Uint8Array.of(1));
    await settle();
    relay.response('dev-1', reply([2]), 'remoteCommand');
    expect(await next).toEqual(Uint8Array.of(2));
  });

  it('on shutdown fails what waits and tells the domain', async () => {
    const { relay, listener, channel } = connected();
    const inFlight = channel.exchange(Uint8Array.of(1));
    relay.close();
    expect((await failure(inFlight)).reason).toBe(NonHideezReason.Closing);
    expect(listener.closed).toBe(true);
    expect(relay.establish('ST1', 'ws-1')).toBe(false);
  });
});

// The /deviceHub relay end to end: a test HES asks for the vault's channel, seals
// commands with the key's provisioning secret, and the companion relays them to a
// real VirtualKey's RemoteCommand and the sealed replies back. The relay can
// neither read nor alter what it carries: a flipped byte is refused by the key.
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Command } from '../../../device/protocol/messages';
import {
  DeviceErrorCode,
  deviceErrorCodeName,
  isDeviceErrorCode,
} from '../../../shared/errors/device-error-code';
import type { MessageBufferDto } from '../../../shared/hes/dto';
import { openReply } from '../../../emulator/remote-channel/seal';
import {
  DeviceHubRelay,
  type RelayEvent,
  type RelayFunction,
} from '../../../main/hes/device-hub-relay';
import { parseServerUrl } from '../../../main/hes/server-url';
import { pluggedKey } from '../../emulator/key/key-hosts';
import { startClient, stopClients, WORKSTATION_ID, type Harness } from './client-harness';
import { TestHes } from './hes-test-server';

class KeyRefused extends Error {
  constructor(readonly code: string) {
    super('the key refused the remote command');
  }
}

let key: Awaited<ReturnType<typeof pluggedKey>>;
let server: TestHes;
let h: Harness;
let serial: string;
const relayed: Uint8Array[] = [];
const channels: number[] = [];

beforeEach(async () => {
  key = await pluggedKey();
  serial = key.server.record.serialNo;
  relayed.length = 0;
  channels.length = 0;
  // What the companion wires: the key's RemoteCommand on the server's channel.
  const relay: RelayFunction = async (serialNo, channel, request) => {
    expect(serialNo).toBe(serial);
    channels.push(channel);
    if (request.kind !== 'message') throw new KeyRefused('ERR_UNSUPPORTED');
    const sealed = request.data;
    relayed.push(sealed);
    const response = await key.usb.request({ command: Command.RemoteCommand, channel, sealed });
    if ('sealed' in response) return response.sealed;
    const status = response.status;
    throw new KeyRefused(isDeviceErrorCode(status) ? deviceErrorCodeName(status) : String(status));
  };
  server = await TestHes.start();
  h = startClient(server.base, { relay });
  await h.untilState('connected');
});
afterEach(async () => {
  await stopClients();
  await server.stop();
  await key.cleanup();
});

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

async function openChannel() {
  const opened = h.event('channelOpened');
  server.appCaller().send('EstablishRemoteHwVaultConnection', serial, 4);
  const device = await server.connected.take((c) => c.hub === '/deviceHub');
  await opened;
  return device;
}

function command(sealed: Uint8Array, channelNo = 4) {
  return {
    buffer: { data: b64(sealed), channelNo },
    contextGuid: '11111111-2222-4333-8444-555555555555',
    channelNo,
  };
}

describe('the remote vault channel', () => {
  it('opens /deviceHub with DeviceId and WorkstationId and relays a sealed command and its reply', async () => {
    const device = await openChannel();
    expect(device.headers['deviceid']).toBe(serial);
    expect(device.headers['workstationid']).toBe(WORKSTATION_ID);
    expect(h.client.openVaultChannels()).toEqual([serial]);

    const { counter, sealed } = key.server.seal({ op: 1 });
    device.send('SendRemoteCommand', command(sealed));
    const call = await server.next('RemoteCommandResponse');
    const [buffer, error] = call.args as [MessageBufferDto, string];
    expect(error).toBe('');
    expect(buffer.channelNo).toBe(4);
    const reply = openReply(key.server.secret, counter, bytes(buffer.data));
    expect(reply.status).toBe(DeviceErrorCode.OK);
    expect('info' in reply && reply.info.serialNo).toBe(serial);
    // The key got exactly the bytes the server sealed.
    expect(relayed).toEqual([sealed]);
  });

  it('carries a flipped byte unaltered, and the key refuses it (ERR_BAD_SEAL)', async () => {
    const device = await openChannel();
    const { sealed } = key.server.seal({ op: 1 });
    const flipped = sealed.slice();
    flipped[flipped.length - 20]! ^= 0x01;
    device.send('SendRemoteCommand', command(flipped));
    const call = await server.next('RemoteCommandResponse');
    const [buffer, error] = call.args as [MessageBufferDto, string];
    expect(buffer.data).toBe('');
    expect(error).toContain('ERR_BAD_SEAL');
    expect(relayed).toEqual([flipped]);
    // The channel still works for the next honest command.
    const next = key.server.seal({ op: 1 });
    device.send('SendRemoteCommand', command(next.sealed));
    const [good] = (await server.next('RemoteCommandResponse')).args as [MessageBufferDto];
    expect(openReply(key.server.secret, next.counter, bytes(good.data)).status).toBe(
      DeviceErrorCode.OK,
    );
  });

  it('answers a malformed request with an error, without reaching the key', async () => {
    const device = await openChannel();
    const failed = h.event('relayFailed');
    device.send('SendRemoteCommand', {
      buffer: { data: 'not base64!', channelNo: 4 },
      contextGuid: 'x',
      channelNo: 4,
    });
    const [buffer, error] = (await server.next('RemoteCommandResponse')).args as [
      MessageBufferDto,
      string,
    ];
    expect(buffer.data).toBe('');
    expect(error).toMatch(/^malformed request/);
    expect((await failed).problem).toMatch(/malformed/);
    expect(relayed).toEqual([]);
  });

  it('never reports the relayed bytes in its events', async () => {
    const device = await openChannel();
    const { sealed } = key.server.seal({ op: 1 });
    const flipped = sealed.slice();
    flipped[12]! ^= 0xff;
    device.send('SendRemoteCommand', command(flipped));
    await server.next('RemoteCommandResponse');
    const text = JSON.stringify(h.events);
    expect(text).not.toContain(b64(flipped));
    expect(text).not.toContain(b64(sealed).slice(0, 16));
  });

  it('is torn down when the key disconnects', async () => {
    await openChannel();
    const closed = h.event('channelClosed');
    await h.client.closeVaultChannel(serial);
    await server.disconnected.take((c) => c.hub === '/deviceHub');
    expect((await closed).serialNo).toBe(serial);
    expect(h.client.openVaultChannels()).toEqual([]);
  });

  it('is torn down when the server closes the device hub', async () => {
    const device = await openChannel();
    const closed = h.event('channelClosed');
    device.close();
    await closed;
    expect(h.client.openVaultChannels()).toEqual([]);
  });

  it('is torn down when the AppHub drops', async () => {
    await openChannel();
    server.appCaller().abort();
    await server.disconnected.take((c) => c.hub === '/deviceHub');
    expect(h.client.openVaultChannels()).toEqual([]);
    await h.untilState('connected');
  });

  it('a second EstablishRemoteHwVaultConnection opens another hub and keeps the first, as HES uses it', async () => {
    const first = await openChannel();
    const reopened = h.event('channelOpened');
    server.appCaller().send('EstablishRemoteHwVaultConnection', serial, 4);
    const second = await server.connected.take((c) => c.hub === '/deviceHub');
    await reopened;
    expect(second.connectionId).not.toBe(first.connectionId);
    expect(h.client.openVaultChannels()).toEqual([serial]);
    // HES keeps the first hub's caller (GetOrAdd) and sends there; a retry's hub may be used
    // too. Each step is answered on the hub it came on.
    for (const hub of [first, second]) {
      const { counter, sealed } = key.server.seal({ op: 1 });
      hub.send('SendRemoteCommand', command(sealed));
      const call = await server.next('RemoteCommandResponse');
      expect(call.caller.connectionId).toBe(hub.connectionId);
      const [buffer] = call.args as [MessageBufferDto];
      expect(openReply(key.server.secret, counter, bytes(buffer.data)).status).toBe(
        DeviceErrorCode.OK,
      );
    }
    // Closing a device hub makes HES forget the key is here: both close only with the key.
    const closedBoth = Promise.all([
      server.disconnected.take((c) => c.connectionId === first.connectionId),
      server.disconnected.take((c) => c.connectionId === second.connectionId),
    ]);
    await h.client.closeVaultChannel(serial);
    await closedBoth;
    expect(h.client.openVaultChannels()).toEqual([]);
  });

  it('refuses a device hub past four for one vault, and keeps the ones it has', async () => {
    const hubs = [];
    for (let i = 0; i < 4; i++) hubs.push(await openChannel());
    const refused = h.event('channelFailed');
    server.appCaller().send('EstablishRemoteHwVaultConnection', serial, 4);
    expect((await refused).problem).toContain('already holds 4 device hubs');
    expect(server.signalr.connections('/deviceHub')).toHaveLength(4);
    const { counter, sealed } = key.server.seal({ op: 1 });
    hubs[0]!.send('SendRemoteCommand', command(sealed));
    const [buffer] = (await server.next('RemoteCommandResponse')).args as [MessageBufferDto];
    expect(openReply(key.server.secret, counter, bytes(buffer.data)).status).toBe(
      DeviceErrorCode.OK,
    );
  });

  it('relays on the channel the server names, and the key decides whether it takes it', async () => {
    const opened = h.event('channelOpened');
    server.appCaller().send('EstablishRemoteHwVaultConnection', serial, 5);
    const device = await server.connected.take((c) => c.hub === '/deviceHub');
    await opened;
    const { sealed } = key.server.seal({ op: 1 });
    device.send('SendRemoteCommand', command(sealed, 5));
    const [buffer, error] = (await server.next('RemoteCommandResponse')).args as [
      MessageBufferDto,
      string,
    ];
    expect(channels).toEqual([5]);
    // The open key serves the server's channel 4 only.
    expect(buffer).toEqual({ data: '', channelNo: 5 });
    expect(error).toContain('ERR_INVALID_PARAMETER');
  });

  it('refuses a channel number that is not a byte, and opens nothing', async () => {
    const rejected = h.event('pushRejected');
    server.appCaller().send('EstablishRemoteHwVaultConnection', serial, 256);
    expect(await rejected).toMatchObject({ target: 'EstablishRemoteHwVaultConnection' });
    expect(h.client.openVaultChannels()).toEqual([]);
  });

  it('reports each step with its sizes and time, never its bytes', async () => {
    const device = await openChannel();
    const relayedEvent = h.event('relayed');
    const { sealed } = key.server.seal({ op: 1 });
    device.send('SendRemoteCommand', command(sealed));
    const [buffer] = (await server.next('RemoteCommandResponse')).args as [MessageBufferDto];
    const event = await relayedEvent;
    expect(event).toMatchObject({
      serialNo: serial,
      step: 'message',
      requestBytes: sealed.length,
      replyBytes: bytes(buffer.data).length,
    });
    expect(Object.keys(event).sort()).toEqual(
      ['ms', 'replyBytes', 'requestBytes', 'serialNo', 'step', 'type'].sort(),
    );
  });
});

describe('the set-up limit', () => {
  it('gives up a device hub that does not connect within HES’s set-up time, and says so', async () => {
    // A server that accepts the connection and never answers (HES gives up after 20 s).
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const events: RelayEvent[] = [];
    const relay = new DeviceHubRelay({
      url: parseServerUrl(`http://127.0.0.1:${port}`),
      workstationId: WORKSTATION_ID,
      callTimeoutMs: 30_000,
      setupTimeoutMs: 200,
      relay: () => Promise.reject(new Error('no key')),
      onEvent: (event) => events.push(event),
    });
    try {
      await relay.open('ST0001', 4);
      expect(events).toEqual([
        {
          type: 'channelFailed',
          serialNo: 'ST0001',
          problem: 'the device hub did not connect within 200 ms',
        },
      ]);
      expect(relay.openChannels()).toEqual([]);
    } finally {
      await relay.dispose();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

// The /deviceHub relay end to end: a test HES asks for the vault's channel, seals
// commands with the key's provisioning secret, and the companion relays them to a
// real VirtualKey's RemoteCommand and the sealed replies back. The relay can
// neither read nor alter what it carries: a flipped byte is refused by the key.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Command } from '../../../device/protocol/messages';
import {
  DeviceErrorCode,
  deviceErrorCodeName,
  isDeviceErrorCode,
} from '../../../shared/errors/device-error-code';
import type { MessageBufferDto } from '../../../shared/hes/dto';
import { openReply } from '../../../emulator/remote-channel/seal';
import type { RelayFunction } from '../../../main/hes/device-hub-relay';
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

beforeEach(async () => {
  key = await pluggedKey();
  serial = key.server.record.serialNo;
  relayed.length = 0;
  // What the companion wires: the key's RemoteCommand on channel 4.
  const relay: RelayFunction = async (serialNo, _channel, request) => {
    expect(serialNo).toBe(serial);
    if (request.kind !== 'message') throw new KeyRefused('ERR_UNSUPPORTED');
    const sealed = request.data;
    relayed.push(sealed);
    const response = await key.usb.request({ command: Command.RemoteCommand, channel: 4, sealed });
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

function command(sealed: Uint8Array) {
  return {
    buffer: { data: b64(sealed), channelNo: 4 },
    contextGuid: '11111111-2222-4333-8444-555555555555',
    channelNo: 4,
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

  it('ignores a channel request other than 4', async () => {
    const refused = h.event('channelRefused');
    server.appCaller().send('EstablishRemoteHwVaultConnection', serial, 1);
    expect(await refused).toEqual({ type: 'channelRefused', serialNo: serial, channelNo: 1 });
    expect(h.client.openVaultChannels()).toEqual([]);
  });
});

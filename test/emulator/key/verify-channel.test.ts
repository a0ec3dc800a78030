// VerifyChannel on the virtual key (docs/protocol.md §5.8, §7.6): over USB and BLE the
// key proves its provisioning secret to the server's challenge and tells its last
// accepted counter, in any state, without changing anything; the server numbers its
// next sealed command past that counter and the key takes it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'cbor2';
import { describe, expect, it } from 'vitest';
import { Command, type Response } from '../../../device/protocol/messages';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { checkChannelVerifyReply } from '../../../emulator/remote-channel/channel-proof';
import { CtapHidCommand } from '../../../device/protocol/ctaphid';
import { decodeResponse } from '../../../device/protocol/message-codec';
import { stateFileName } from '../../../emulator/key/state-store';
import { VirtualKey } from '../../../emulator/key/virtual-key';
import { provisionKey3s } from '../../../emulator/key3/provision-key3';
import { refusal } from '../../device/protocol/arbitraries';
import {
  ascii,
  BleHost,
  type KeyHost,
  itWithKey,
  statusOf,
  TEST_HASH_COST,
  type TestServer,
} from './key-hosts';

const NONCE = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i);

const verifyReplyOf = (response: Response): Uint8Array => {
  if (!('verifyReply' in response)) throw new Error(`VerifyChannel refused: ${response.status}`);
  return response.verifyReply;
};

/** The server's side: its challenge through a host, the key's counter from the checked reply. */
async function verify(server: TestServer, host: KeyHost, nonce = NONCE): Promise<bigint> {
  const response = await host.request({ command: Command.VerifyChannel, channel: 4, nonce });
  return checkChannelVerifyReply(server.secret, 4, nonce, verifyReplyOf(response));
}

describe('VerifyChannel on the virtual key', () => {
  itWithKey(
    'over USB: a new key proves its secret and tells counter 0',
    async ({ usb, server }) => {
      expect(await verify(server, usb)).toBe(0n);
    },
  );

  itWithKey(
    'over BLE, in 20-byte fragments: the same proof and counter',
    async ({ key, usb, server }) => {
      await server.getState(usb); // counter 1
      const ble = new BleHost(key.ble);
      await ble.connect(23);
      expect(await verify(server, ble)).toBe(1n);
    },
  );

  itWithKey(
    'tells the last accepted counter, and the server numbered past it is taken at once',
    async ({ key, usb, server }) => {
      server.counter = 6n;
      await server.getState(usb); // counter 7
      // A server that lost its counter (a restored database) learns the key's instead of ERR_REPLAY.
      server.counter = await verify(server, usb, Uint8Array.from(NONCE).reverse());
      expect(server.counter).toBe(7n);
      expect(statusOf(await server.getState(usb))).toBe(DeviceErrorCode.OK);
      expect(key.state.remoteCounter).toBe('8');
    },
  );

  itWithKey(
    'changes nothing: state file, info and counter stay as they were',
    async ({ key, usb, server }) => {
      await server.link(usb, '123456');
      const before = { state: key.state, info: key.info() };
      for (let i = 0; i < 3; i++) expect(await verify(server, usb)).toBe(1n);
      expect(key.state).toEqual(before.state);
      expect(key.info()).toEqual(before.info);
    },
  );

  itWithKey('answers while the key is locked by its activation code', async ({ usb, server }) => {
    await server.link(usb, '123456');
    expect((await usb.info()).lockedByCode).toBe(true);
    expect(await verify(server, usb)).toBe(1n);
  });

  itWithKey(
    'a reply is for its own challenge: another nonce does not accept it',
    async ({ usb, server }) => {
      const response = await usb.request({
        command: Command.VerifyChannel,
        channel: 4,
        nonce: NONCE,
      });
      const other = Uint8Array.from(NONCE);
      other[0] = other[0]! ^ 1;
      refusal(
        () => checkChannelVerifyReply(server.secret, 4, other, verifyReplyOf(response)),
        ProtocolErrorCode.BadSeal,
      );
    },
  );

  itWithKey('refuses a channel other than 4 with ERR_INVALID_PARAMETER', async ({ usb }) => {
    expect(await usb.request({ command: Command.VerifyChannel, channel: 5, nonce: NONCE })).toEqual(
      { command: Command.VerifyChannel, status: DeviceErrorCode.ERR_INVALID_PARAMETER },
    );
  });

  itWithKey(
    'answers a nonce out of range on the wire with ERR_INVALID_PARAMETER',
    async ({ usb, server }) => {
      for (const length of [15, 65]) {
        const map = encode(
          new Map<number, unknown>([
            [1, 4],
            [2, new Uint8Array(length)],
          ]),
        );
        await usb.writeFrame({
          cid: usb.cid,
          cmd: CtapHidCommand.HideezMessage,
          payload: Uint8Array.from([Command.VerifyChannel, ...map]),
        });
        const frame = await usb.next(CtapHidCommand.HideezMessage);
        expect(decodeResponse(Command.VerifyChannel, frame.payload)).toEqual({
          command: Command.VerifyChannel,
          status: DeviceErrorCode.ERR_INVALID_PARAMETER,
        });
      }
      // The key is still fine afterwards.
      expect(await verify(server, usb)).toBe(0n);
    },
  );

  itWithKey(
    'codes and PINs on the same key are unaffected by a verify in between',
    async ({ usb, server }) => {
      await server.link(usb, '123456');
      await verify(server, usb);
      expect(
        statusOf(await usb.request({ command: Command.UnlockWithCode, code: ascii('123456') })),
      ).toBe(DeviceErrorCode.OK);
    },
  );
});

describe('VerifyChannel on a Hideez Key 3 model', () => {
  it('is unsupported: a Key 3 has no seal secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'virtual-key3-'));
    try {
      const [record] = await provisionKey3s(dir, 1);
      const key = await VirtualKey.open(join(dir, stateFileName(record!.serialNo)), {
        hashCost: TEST_HASH_COST,
      });
      try {
        await expect(
          key.firmware.handle({ command: Command.VerifyChannel, channel: 4, nonce: NONCE }),
        ).resolves.toEqual({
          command: Command.VerifyChannel,
          status: DeviceErrorCode.ERR_UNSUPPORTED,
        });
      } finally {
        key.unplug();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

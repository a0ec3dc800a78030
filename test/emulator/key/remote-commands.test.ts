// The server's sealed commands as the key executes them: only the server can
// seal them, each counter works once, a replug keeps the counter, and the
// companion relaying the bytes can neither forge nor replay them.
import { describe, expect } from 'vitest';
import { Command } from '../../../device/protocol/messages';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { openReply, sealCommand } from '../../../emulator/remote-channel/seal';
import {
  ascii,
  DEFAULT_PROFILE,
  infoOf,
  itWithKey,
  statusOf,
  UsbHost,
  type TestServer,
} from './key-hosts';

/** The server seals Link (code 123456, 3 attempts) without sending it yet. */
const sealLink = (server: TestServer) =>
  server.seal({ op: 2, masterKey: server.masterKey, code: ascii('123456'), attempts: 3 });

describe('sealed remote commands', () => {
  itWithKey('GetState answers the key info sealed to the server', async ({ usb, server }) => {
    const info = infoOf(await server.getState(usb));
    expect(info.serialNo).toBe(server.record.serialNo);
    expect(info.mac).toBe(server.record.mac);
  });

  itWithKey(
    'a replayed command is refused with the last counter, and nothing happens again',
    async ({ usb, server }) => {
      const { counter, sealed } = sealLink(server);
      expect(statusOf(await server.relay(usb, counter, sealed))).toBe(DeviceErrorCode.OK);
      await usb.request({ command: Command.UnlockWithCode, code: ascii('123456') });

      const replayed = await server.relay(usb, counter, sealed);
      expect(replayed).toEqual({ status: DeviceErrorCode.ERR_REPLAY, lastCounter: counter });
      expect((await usb.info()).lockedByCode).toBe(false);
    },
  );

  itWithKey(
    'an older counter is refused too, and the server can move past the last one',
    async ({ usb, server }) => {
      server.counter = 10n;
      await server.getState(usb); // counter 11
      server.counter = 4n;
      const stale = await server.getState(usb); // counter 5
      expect(stale).toEqual({ status: DeviceErrorCode.ERR_REPLAY, lastCounter: 11n });
      server.counter = 11n;
      expect(statusOf(await server.getState(usb))).toBe(DeviceErrorCode.OK);
    },
  );

  itWithKey(
    'a byte-flipped command is refused in plain with ERR_BAD_SEAL and does not advance the counter',
    async ({ key, usb, server }) => {
      const { counter, sealed } = sealLink(server);
      for (const index of [0, 1, 8, 9, sealed.length - 1]) {
        const flipped = Uint8Array.from(sealed);
        flipped[index] = (flipped[index] ?? 0) ^ 0x01;
        const response = await usb.request({
          command: Command.RemoteCommand,
          channel: 4,
          sealed: flipped,
        });
        expect(response).toEqual({
          command: Command.RemoteCommand,
          status: DeviceErrorCode.ERR_BAD_SEAL,
        });
      }
      expect(key.state.remoteCounter).toBe('0');
      expect((await usb.info()).access.linkRequired).toBe(true);
      // The genuine command still works.
      expect(statusOf(await server.relay(usb, counter, sealed))).toBe(DeviceErrorCode.OK);
    },
  );

  itWithKey("a command sealed with another key's secret is refused", async ({ usb }) => {
    const other = new Uint8Array(32).fill(7);
    const sealed = sealCommand(other, 1n, { op: 1 });
    const response = await usb.request({ command: Command.RemoteCommand, channel: 4, sealed });
    expect(statusOf(response)).toBe(DeviceErrorCode.ERR_BAD_SEAL);
  });

  itWithKey(
    "the key's own reply cannot be fed back to it as a command",
    async ({ usb, server }) => {
      const { sealed } = server.seal({ op: 1 });
      const response = await usb.request({ command: Command.RemoteCommand, channel: 4, sealed });
      if (!('sealed' in response)) throw new Error('expected a sealed reply');
      const echoed = await usb.request({
        command: Command.RemoteCommand,
        channel: 4,
        sealed: response.sealed,
      });
      expect(statusOf(echoed)).toBe(DeviceErrorCode.ERR_BAD_SEAL);
    },
  );

  itWithKey('remote commands only travel on the server channel', async ({ usb, server }) => {
    const { sealed } = server.seal({ op: 1 });
    const response = await usb.request({ command: Command.RemoteCommand, channel: 1, sealed });
    expect(statusOf(response)).toBe(DeviceErrorCode.ERR_INVALID_PARAMETER);
  });

  itWithKey('a wrong master key is refused for every op that needs it', async ({ usb, server }) => {
    await server.link(usb, '123456');
    const wrong = new Uint8Array(32).fill(1);
    expect(statusOf(await server.wipe(usb, wrong))).toBe(DeviceErrorCode.ERR_KEY_WRONG);
    expect(statusOf(await server.checkPassphrase(usb, wrong))).toBe(DeviceErrorCode.ERR_KEY_WRONG);
    expect(
      statusOf(
        await server.run(usb, { op: 3, masterKey: wrong, code: ascii('111111'), attempts: 3 }),
      ),
    ).toBe(DeviceErrorCode.ERR_KEY_WRONG);
    expect(
      statusOf(
        await server.run(usb, {
          op: 4,
          time: 1,
          masterKey: wrong,
          profile: DEFAULT_PROFILE,
        }),
      ),
    ).toBe(DeviceErrorCode.ERR_KEY_WRONG);
    // Ops on a blank key: nothing to check against.
    await server.wipe(usb);
    expect(statusOf(await server.checkPassphrase(usb))).toBe(DeviceErrorCode.ERR_NOT_INITIALIZED);
  });

  itWithKey(
    'CheckPassphrase confirms the master key of an unlocked key',
    async ({ usb, server }) => {
      await server.link(usb, '123456');
      expect(statusOf(await server.checkPassphrase(usb))).toBe(
        DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE,
      );
      await usb.request({ command: Command.UnlockWithCode, code: ascii('123456') });
      expect(statusOf(await server.checkPassphrase(usb))).toBe(DeviceErrorCode.OK);
    },
  );

  itWithKey(
    'Wipe returns the key to blank, keeping its identity and the counter',
    async ({ key, usb, server }) => {
      await server.link(usb, '123456');
      await usb.request({ command: Command.UnlockWithCode, code: ascii('123456') });
      await server.access(usb);
      await usb.request({ command: Command.SetPin, newPin: ascii('1234') });
      const counterBefore = server.counter;
      const { counter, sealed } = server.seal({ op: 5, masterKey: server.masterKey });
      const info = infoOf(await server.relay(usb, counter, sealed));
      expect(info.access.linkRequired).toBe(true);
      expect(info).toMatchObject({
        lockedByCode: false,
        lockedByPin: false,
        serialNo: server.record.serialNo,
      });
      expect(key.state.pin.hash).toBeNull();
      expect(key.state.profile).toBeNull();
      expect(key.state.remoteCounter).toBe(String(counterBefore + 1n));
      // Old commands stay dead after the wipe.
      expect(await server.relay(usb, counter, sealed)).toEqual({
        status: DeviceErrorCode.ERR_REPLAY,
        lastCounter: counter,
      });
      // And the key can be linked again.
      expect(infoOf(await server.link(usb, '222222')).lockedByCode).toBe(true);
    },
  );

  itWithKey(
    'a replug keeps the counter: a new VirtualKey over the same file refuses the old command',
    async ({ key, usb, server }) => {
      const { counter, sealed } = sealLink(server);
      await server.relay(usb, counter, sealed);
      await usb.request({ command: Command.UnlockWithCode, code: ascii('000000') });
      key.unplug();
      await key.plug();
      const usb2 = new UsbHost(key.hid);
      await usb2.init();
      const info = await usb2.info();
      expect(info).toMatchObject({ lockedByCode: true, unlockAttemptsRemain: 2 });
      expect(await server.relay(usb2, counter, sealed)).toEqual({
        status: DeviceErrorCode.ERR_REPLAY,
        lastCounter: counter,
      });
    },
  );

  itWithKey('the reply is bound to its command counter', async ({ usb, server }) => {
    const { counter, sealed } = server.seal({ op: 1 });
    const response = await usb.request({ command: Command.RemoteCommand, channel: 4, sealed });
    if (!('sealed' in response)) throw new Error('expected a sealed reply');
    expect(() => openReply(server.secret, counter + 1n, response.sealed)).toThrow();
  });
});

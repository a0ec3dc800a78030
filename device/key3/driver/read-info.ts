// GETINFO over the companion's secure channel, as the one key-state model (KeyInfo).
import type { KeyInfo } from '../../../shared/key/key-info';
import { DeviceError, DeviceErrorKind } from '../../errors/device-error';
import { getInfo } from '../protocol/commands';
import { decodeInfoBlock } from '../protocol/info-block';
import { keyInfoFromBlock } from './key3-key-info';
import type { Key3SecureChannel } from './secure-channel';

export async function readKey3Info(
  secure: Key3SecureChannel,
  mac: string,
  limits: { timeoutMs: number; signal?: AbortSignal },
): Promise<KeyInfo> {
  const reply = await secure.call(getInfo(), limits);
  if (!reply.ok) {
    throw new DeviceError(DeviceErrorKind.Protocol, 'The key refused GETINFO', {
      keyError: `${reply.source}:${reply.error}`,
    });
  }
  try {
    return keyInfoFromBlock(decodeInfoBlock(reply.payload), mac);
  } catch (error) {
    throw new DeviceError(
      DeviceErrorKind.Protocol,
      'The key sent a malformed info block',
      {},
      { cause: error },
    );
  }
}

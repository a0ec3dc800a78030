// HES's end of a Hideez Key 3's channel 4 (hes-contract.md §5.2–§5.3), as HES runs it with
// the vendor SDK. Set-up (VerifyAndInitialize): the channel is reset and verified through the
// workstation (SendResetChannel, SendVerifyCommand with our ephemeral key and nonce,
// SendGetRootKeyCommand), the key's certificate is checked against the vendor key and its
// handshake signature against the certified root key. Then every operation is one encrypted
// command. The device layer's Key 3 session and command codec do the work (one implementation
// of each wire format in the project); the workstation only moves the bytes. After each
// operation the key's state is read back (HES's RefreshDeviceInfo), so the domain sees the same
// KeyInfo as with any key.
import type { Key3Session } from '../../../device/key3/crypto/session';
import { startHostHandshake, verifyHandshake } from '../../../device/key3/crypto/handshake';
import { Key3Command } from '../../../device/key3/protocol/command-codes';
import {
  access,
  checkPassphrase,
  getInfo,
  link,
  lockDeviceCode,
  wipe,
} from '../../../device/key3/protocol/commands';
import { toDeviceErrorCode } from '../../../device/key3/protocol/errors';
import { decodeInfoBlock } from '../../../device/key3/protocol/info-block';
import { decodeReply, type Key3Reply } from '../../../device/key3/protocol/message';
import { requirementByte } from '../../../device/key3/protocol/requirements';
import { keyInfoFromBlock } from '../../../device/key3/driver/key3-key-info';
import { sealedCall } from '../../../device/key3/driver/sealed-call';
import { isProtocolError } from '../../../device/protocol/protocol-error';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { HES_REMOTE_CHANNEL } from '../../../shared/hes/dto';
import type { KeyInfo } from '../../../shared/key/key-info';
import { RemoteOpCode, type RemoteOp } from '../../remote-channel/ops';
import type { HesStore } from '../store/hes-store';
import { codeMessage } from './envelope';
import { HesCodeError, NonHideezError, NonHideezReason, type VaultChannel } from './ports';
import type { RemoteVault } from './remote-vault';

/** ACCESS carries the button expiry in one byte. */
const BUTTON_EXPIRY_MAX = 0xff;

/** The Key 3 family's VerifyAndInitialize: RESET → VERIFY → root-key certificate → both checks. */
export async function verifyKey3Channel(
  store: HesStore,
  vaultId: string,
  channel: VaultChannel,
  vendorPublicKey: Uint8Array,
  now: () => Date,
): Promise<RemoteVault> {
  const channelNo = HES_REMOTE_CHANNEL;
  await channel.resetChannel(channelNo);
  const handshake = startHostHandshake(channelNo);
  let session: Key3Session | undefined;
  try {
    const verified = decodeReply(
      await channel.verify(handshake.hostPublicKey65, handshake.hostNonce, channelNo),
      Key3Command.VERIFYREPLY,
    );
    if (!verified.ok) throw failed('The vault refused VERIFY');
    const result = handshake.finish(verified.payload);
    session = result.session;
    const rootKey = decodeReply(await channel.rootKey(), Key3Command.ROOTKEY);
    if (!rootKey.ok) throw failed('The vault gave no root key');
    verifyHandshake(result, rootKey.payload, vendorPublicKey);
    return new Key3RemoteVault(store, vaultId, channel, session, now);
  } catch (e) {
    session?.destroy();
    throw asHesError(e, 'The vault failed the channel verification');
  }
}

/** A verified Key 3 session (HES keeps its Device, and so its session, after any error). */
export class Key3RemoteVault implements RemoteVault {
  constructor(
    private readonly store: HesStore,
    readonly vaultId: string,
    private readonly channel: VaultChannel,
    private readonly session: Key3Session,
    private readonly now: () => Date,
  ) {}

  async run(op: RemoteOp): Promise<KeyInfo> {
    const command = this.commandFor(op);
    if (command !== undefined) {
      const reply = await this.call(command);
      if (!reply.ok) {
        const status = toDeviceErrorCode(reply.source, reply.error);
        throw new HesCodeError(status, codeMessage(status));
      }
    }
    return this.refresh();
  }

  /** The Key 3 command for an operation (GetState has none: the refresh reads the state). */
  private commandFor(op: RemoteOp): Uint8Array | undefined {
    switch (op.op) {
      case RemoteOpCode.GetState:
        return undefined;
      case RemoteOpCode.Link:
        return link(op.masterKey, op.code, op.attempts);
      case RemoteOpCode.LockDeviceCode:
        return lockDeviceCode(op.masterKey, op.code, op.attempts);
      case RemoteOpCode.Access: {
        const p = op.profile;
        return access({
          masterKeyReq: requirementByte({
            bond: p.masterKeyBond,
            connect: p.masterKeyConnect,
            channel: p.masterKeyChannel,
          }),
          pinReq: requirementByte({
            bond: p.pinBond,
            connect: p.pinConnect,
            channel: p.pinChannel,
          }),
          buttonReq: requirementByte({
            bond: p.buttonBond,
            connect: p.buttonConnect,
            channel: p.buttonChannel,
          }),
          pinMinLength: p.pinMinLength,
          pinMaxTries: p.pinMaxTries,
          unixTime: op.time,
          masterKeyExpiry: p.masterKeyExpirationSeconds,
          pinExpiry: p.pinExpirationSeconds,
          buttonExpiry: Math.min(BUTTON_EXPIRY_MAX, p.buttonExpirationSeconds),
          masterKey: op.masterKey,
        });
      }
      case RemoteOpCode.Wipe:
        return wipe(op.masterKey);
      case RemoteOpCode.CheckPassphrase:
        return checkPassphrase(Math.floor(this.now().getTime() / 1000), op.masterKey);
    }
  }

  private async refresh(): Promise<KeyInfo> {
    const reply = await this.call(getInfo());
    if (!reply.ok) {
      const status = toDeviceErrorCode(reply.source, reply.error);
      throw new HesCodeError(status, codeMessage(status));
    }
    const vault = this.store.vaults.get(this.vaultId);
    if (!vault) throw new HesCodeError(HesErrorCode.HesDeviceNotFound, codeMessage(607));
    return keyInfoFromBlock(decodeInfoBlock(reply.payload), vault.mac);
  }

  private async call(plain: Uint8Array): Promise<Key3Reply> {
    try {
      return await sealedCall(this.session, plain, (sealed) => this.channel.exchange(sealed));
    } catch (e) {
      throw asHesError(e, 'The vault answered outside its verified channel');
    }
  }
}

const failed = (message: string): NonHideezError =>
  new NonHideezError(NonHideezReason.BadReply, message);

function asHesError(e: unknown, message: string): Error {
  if (e instanceof HesCodeError || e instanceof NonHideezError) return e;
  // A protocol failure inside the SDK surfaces from HES as a wrapped exception (1001).
  return failed(isProtocolError(e) ? `${message} (${e.code})` : message);
}

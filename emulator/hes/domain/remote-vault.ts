// The server's end of an open-protocol key's channel 4 (hes-contract.md §5; docs/protocol.md
// §7). Set-up, as HES's VerifyAndInitialize orders it: SendResetChannel, then
// SendVerifyCommand with an empty public key (the open protocol has no key exchange) and a
// fresh nonce; the key's reply proves its provisioning secret and names its last accepted
// counter, and the vault's stored counter moves past it. There is no root-key step. Each op
// is then sealed with the secret and the next counter (taken before it leaves, so never
// reused); after ERR_REPLAY the counter moves past the key's and the op is tried once more.
import { randomBytes } from 'node:crypto';
import { isProtocolError } from '../../../device/protocol/protocol-error';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { HES_REMOTE_CHANNEL } from '../../../shared/hes/dto';
import type { KeyInfo } from '../../../shared/key/key-info';
import { checkChannelVerifyReply } from '../../remote-channel/channel-proof';
import type { RemoteOp } from '../../remote-channel/ops';
import { openReply, sealCommand } from '../../remote-channel/seal';
import type { HesStore } from '../store/hes-store';
import { codeMessage, hesError } from './envelope';
import { HesCodeError, NonHideezError, NonHideezReason, type VaultChannel } from './ports';

/** How the domain runs an operation on a vault, whatever protocol reaches it. */
export interface RemoteVault {
  readonly vaultId: string;
  /** Runs one op on the key; the key's info after it, or HesCodeError with the key's refusal. */
  run(op: RemoteOp): Promise<KeyInfo>;
}

/** The server's challenge: 256 bits (the key accepts 16–64 bytes). */
const VERIFY_NONCE_BYTES = 32;
const NO_PUBLIC_KEY = new Uint8Array(0);

const secretOf = (store: HesStore, vaultId: string): Uint8Array => {
  const vault = store.vaults.get(vaultId);
  if (!vault) throw hesError(HesErrorCode.HesDeviceNotFound);
  return new Uint8Array(Buffer.from(vault.provisioningSecret, 'base64'));
};

/** A reply that does not open or check out: HES wraps such SDK failures as 1001. */
function badReply(e: unknown, what: string): unknown {
  if (!isProtocolError(e)) return e;
  return new NonHideezError(NonHideezReason.BadReply, `${what} (${e.code})`);
}

/** The open family's VerifyAndInitialize: reset, verify, counter past the key's. */
export async function verifyOpenChannel(
  store: HesStore,
  vaultId: string,
  channel: VaultChannel,
): Promise<RemoteVault> {
  await channel.resetChannel(HES_REMOTE_CHANNEL);
  const nonce = new Uint8Array(randomBytes(VERIFY_NONCE_BYTES));
  const reply = await channel.verify(NO_PUBLIC_KEY, nonce, HES_REMOTE_CHANNEL);
  let lastCounter: bigint;
  try {
    lastCounter = checkChannelVerifyReply(
      secretOf(store, vaultId),
      HES_REMOTE_CHANNEL,
      nonce,
      reply,
    );
  } catch (e) {
    throw badReply(e, 'The vault failed the channel verification');
  }
  store.transaction(() => store.vaults.advanceCounter(vaultId, lastCounter));
  return new SealedRemoteVault(store, vaultId, channel);
}

/** An open-protocol key: sealed commands with the vault's provisioning secret and counter. */
export class SealedRemoteVault implements RemoteVault {
  constructor(
    private readonly store: HesStore,
    readonly vaultId: string,
    private readonly channel: VaultChannel,
  ) {}

  async run(op: RemoteOp): Promise<KeyInfo> {
    for (let attempt = 0; ; attempt++) {
      const secret = secretOf(this.store, this.vaultId);
      const counter = this.store.transaction(() => this.store.vaults.nextCounter(this.vaultId));
      const sealed = await this.channel.exchange(sealCommand(secret, counter, op));
      let reply: ReturnType<typeof openReply>;
      try {
        reply = openReply(secret, counter, sealed);
      } catch (e) {
        throw badReply(e, 'The vault answered outside its verified channel');
      }
      if (reply.status === DeviceErrorCode.OK) return reply.info;
      if (
        reply.status === DeviceErrorCode.ERR_REPLAY &&
        reply.lastCounter !== undefined &&
        attempt === 0
      ) {
        // Our counter fell behind the key's (another server on the same key): skip past it once.
        this.store.vaults.advanceCounter(this.vaultId, reply.lastCounter);
        continue;
      }
      throw new HesCodeError(reply.status, codeMessage(reply.status));
    }
  }
}

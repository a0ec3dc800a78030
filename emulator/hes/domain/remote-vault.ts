// The server's end of the sealed remote channel (hes-contract.md §5): numbers each command
// with the vault's stored counter (taken before the command leaves, so never reused), seals
// it with the provisioning secret, relays it, opens the reply, and after ERR_REPLAY moves
// the counter past the key's lastCounter and tries once more. The relay sees only sealed bytes.
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import type { KeyInfo } from '../../../shared/key/key-info';
import type { RemoteOp } from '../../remote-channel/ops';
import { openReply, sealCommand } from '../../remote-channel/seal';
import type { HesStore } from '../store/hes-store';
import { codeMessage } from './envelope';
import { HesCodeError, type VaultChannel } from './ports';

/** How the domain runs an operation on a vault, whatever protocol reaches it. */
export interface RemoteVault {
  readonly vaultId: string;
  /** Runs one op on the key; the key's info after it, or HesCodeError with the key's refusal. */
  run(op: RemoteOp): Promise<KeyInfo>;
}

/** An open-protocol key: sealed commands with the vault's provisioning secret and counter. */
export class SealedRemoteVault implements RemoteVault {
  constructor(
    private readonly store: HesStore,
    readonly vaultId: string,
    private readonly channel: VaultChannel,
  ) {}

  /** Runs one op on the key; the key's info after it, or HesCodeError with the key's refusal. */
  async run(op: RemoteOp): Promise<KeyInfo> {
    for (let attempt = 0; ; attempt++) {
      const vault = this.store.vaults.get(this.vaultId);
      if (!vault) throw new HesCodeError(607, codeMessage(607));
      const secret = new Uint8Array(Buffer.from(vault.provisioningSecret, 'base64'));
      const counter = this.store.transaction(() => this.store.vaults.nextCounter(this.vaultId));
      const reply = openReply(
        secret,
        counter,
        await this.channel.exchange(sealCommand(secret, counter, op)),
      );
      if (reply.status === DeviceErrorCode.OK) return reply.info;
      if (
        reply.status === DeviceErrorCode.ERR_REPLAY &&
        reply.lastCounter !== undefined &&
        attempt === 0
      ) {
        // Our counter fell behind the key's (a restored database): skip past it once.
        this.store.vaults.advanceCounter(this.vaultId, reply.lastCounter);
        continue;
      }
      throw new HesCodeError(reply.status, codeMessage(reply.status));
    }
  }
}

/**
 * Open channels per vault and workstation, reused as HES reuses its remote Device, and one
 * remote job at a time per vault (HES coalesces concurrent calls for a vault).
 */
export class RemoteChannels {
  private readonly channels = new Map<string, Promise<VaultChannel>>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly open: (vaultId: string, workstationId: string) => Promise<VaultChannel>,
  ) {}

  /** Runs `job` with the vault's channel through `workstationId`; a failed job drops the channel. */
  run<T>(
    vaultId: string,
    workstationId: string,
    job: (channel: VaultChannel) => Promise<T>,
  ): Promise<T> {
    const previous = this.queues.get(vaultId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const key = keyOf(vaultId, workstationId);
        let pending = this.channels.get(key);
        if (!pending) {
          pending = this.open(vaultId, workstationId);
          this.channels.set(key, pending);
        }
        let channel: VaultChannel;
        try {
          channel = await pending;
        } catch (e) {
          this.channels.delete(key);
          throw e;
        }
        try {
          return await job(channel);
        } catch (e) {
          // After any failure the channel state is unknown: the next job opens a fresh one.
          this.drop(vaultId, workstationId);
          throw e;
        }
      });
    this.queues.set(vaultId, next);
    void next
      .finally(() => {
        if (this.queues.get(vaultId) === next) this.queues.delete(vaultId);
      })
      .catch(() => undefined);
    return next;
  }

  drop(vaultId: string, workstationId: string): void {
    const key = keyOf(vaultId, workstationId);
    const pending = this.channels.get(key);
    if (!pending) return;
    this.channels.delete(key);
    pending.then((c) => c.close()).catch(() => undefined);
  }

  dropWorkstation(workstationId: string): void {
    for (const key of [...this.channels.keys()]) {
      const [vaultId, ws] = splitKey(key);
      if (ws === workstationId) this.drop(vaultId, ws);
    }
  }
}

const keyOf = (vaultId: string, workstationId: string): string =>
  JSON.stringify([vaultId, workstationId]);
const splitKey = (key: string): [string, string] => JSON.parse(key) as [string, string];

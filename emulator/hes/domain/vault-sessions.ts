// How the domain reaches a vault (hes-contract.md §4.9, §5.2): the announcements and verified
// sessions (vault-connections.ts, HES's DeviceRemoteConnections), each vault family's
// verification behind one interface, one remote job at a time per vault, the per-vault
// coalescing UpdateHwVaultAccounts uses (HES's _devicesInProgress), and the log of jobs
// nobody waits for.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import type { HesStore } from '../store/hes-store';
import type { VaultRecord } from '../store/records';
import { hesError } from './envelope';
import { verifyKey3Channel } from './key3-remote-vault';
import { HesCodeError, type RemoteJobOutcome, type VaultChannel, type VaultRelay } from './ports';
import { verifyOpenChannel, type RemoteVault } from './remote-vault';
import { VaultConnections, type RemoteSession } from './vault-connections';

export { RemoteSession } from './vault-connections';

/** What a vault family needs to verify a channel. */
interface FamilyContext {
  readonly store: HesStore;
  readonly key3VendorKey: Uint8Array;
  readonly now: () => Date;
}

/** Each family's verified-session factory: the family decides nothing else. */
const FAMILIES: Readonly<
  Record<
    VaultRecord['keyFamily'],
    (ctx: FamilyContext, vaultId: string, channel: VaultChannel) => Promise<RemoteVault>
  >
> = {
  open: (ctx, vaultId, channel) => verifyOpenChannel(ctx.store, vaultId, channel),
  key3: (ctx, vaultId, channel) =>
    verifyKey3Channel(ctx.store, vaultId, channel, ctx.key3VendorKey, ctx.now),
};

export class VaultSessions {
  readonly #connections: VaultConnections;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #inProgress = new Map<string, Promise<void>>();

  constructor(
    store: HesStore,
    private readonly relay: VaultRelay,
    key3VendorKey: Uint8Array,
    now: () => Date,
  ) {
    const family: FamilyContext = { store, key3VendorKey, now };
    this.#connections = new VaultConnections(
      relay,
      (vaultId, channel) => {
        const vault = store.vaults.get(vaultId);
        if (!vault) return Promise.reject(hesError(HesErrorCode.HesDeviceNotFound));
        return FAMILIES[vault.keyFamily](family, vaultId, channel);
      },
      (vaultId, error) => this.report(vaultId, 'VerifyAndInitialize', error),
    );
  }

  /** The vault reported Initializing through this workstation. */
  announce(vaultId: string, ws: string): void {
    this.#connections.announce(vaultId, ws);
  }

  /** The vault is gone from this workstation (Offline): its session there is shut. */
  forget(vaultId: string, ws: string): void {
    this.#connections.forget(vaultId, ws);
  }

  /** The workstation's AppHub connection is gone: every vault it announced. */
  workstationGone(ws: string): void {
    this.#connections.forgetWorkstation(ws);
  }

  /** The workstations the vault is announced through. */
  connectedVia(vaultId: string): readonly string[] {
    return this.#connections.workstations(vaultId);
  }

  /**
   * Runs a remote job on the vault's verified session through `ws` (null: a background job,
   * HES picks the workstation). 511 at once when it is not announced there; one job at a time
   * per vault; a failed job leaves the session for the next one, as HES keeps its Device.
   */
  run<T>(
    vaultId: string,
    ws: string | null,
    job: (session: RemoteSession) => Promise<T>,
  ): Promise<T> {
    const via = this.connectedVia(vaultId);
    if (ws === null ? via.length === 0 : !via.includes(ws)) {
      return Promise.reject(hesError(HesErrorCode.DeviceNotConnectedToAnyHost));
    }
    const previous = this.#queues.get(vaultId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => job(await this.#connections.connect(vaultId, ws)));
    this.#queues.set(vaultId, next);
    void next
      .finally(() => {
        if (this.#queues.get(vaultId) === next) this.#queues.delete(vaultId);
      })
      .catch(() => undefined);
    return next;
  }

  /**
   * HES's _devicesInProgress: while a run for the vault is in progress, a second call waits for
   * it and ends as it ends, without running itself.
   */
  coalesce(vaultId: string, run: () => Promise<void>): Promise<void> {
    const running = this.#inProgress.get(vaultId);
    if (running) return running;
    const started = run().finally(() => this.#inProgress.delete(vaultId));
    this.#inProgress.set(vaultId, started);
    return started;
  }

  /** Logs the outcome of a job nobody waits for (HES: info for a HideezException, else error). */
  report(vaultId: string, job: string, error: unknown): void {
    // Our own errors' texts carry no secrets (see ports.ts); anything else is not shown.
    const outcome: RemoteJobOutcome =
      error === undefined
        ? { vaultId, job, code: HesErrorCode.Ok, message: '' }
        : error instanceof HesCodeError
          ? { vaultId, job, code: error.code, message: error.message }
          : {
              vaultId,
              job,
              code: HesErrorCode.NonHideezException,
              message: error instanceof Error ? error.message : 'failed',
            };
    this.relay.logOutcome(outcome);
  }
}

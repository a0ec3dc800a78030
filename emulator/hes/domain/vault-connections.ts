// HES's DeviceRemoteConnections for every vault (RDCS/DRC, hes-contract.md §5.2): where each
// vault is announced, the verified session (HES's remote Device) of each announcement, and
// ConnectDevice — reuse the session, share one pending set-up, else send
// EstablishRemoteHwVaultConnection and wait at most the set-up limit (512) for the device hub
// to connect AND the family's verification to finish. A device hub that connects for an
// announced pair is verified whether or not anyone waits (HES OnDeviceHubConnected).
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import type { KeyInfo } from '../../../shared/key/key-info';
import type { RemoteOp } from '../../remote-channel/ops';
import { hesError } from './envelope';
import {
  NonHideezError,
  NULL_REFERENCE_TEXT,
  NonHideezReason,
  type DeviceHubListener,
  type VaultChannel,
  type VaultRelay,
} from './ports';
import type { RemoteVault } from './remote-vault';

/** A vault family's verification of a fresh channel (HES: Device.VerifyAndInitialize). */
export type VerifyChannel = (vaultId: string, channel: VaultChannel) => Promise<RemoteVault>;

/** A verified session through one workstation: HES's remote Device. */
export class RemoteSession implements RemoteVault {
  /** HES Device.IsAuthorized: a CheckPassphrase succeeded on this session. */
  authorized = false;
  /** The key's state as the last op left it (HES keeps it on the Device). */
  lastInfo: KeyInfo | undefined;
  #shut = false;

  constructor(
    private readonly inner: RemoteVault,
    readonly workstationId: string,
  ) {}

  get vaultId(): string {
    return this.inner.vaultId;
  }

  async run(op: RemoteOp): Promise<KeyInfo> {
    if (this.#shut) {
      throw new NonHideezError(NonHideezReason.SessionShut, 'The remote vault session was shut');
    }
    this.lastInfo = await this.inner.run(op);
    return this.lastInfo;
  }

  /** HES Device.Shutdown: the vault went Offline, or its AppHub or device hub went. */
  shut(): void {
    this.#shut = true;
  }
}

interface PendingSetup {
  readonly promise: Promise<RemoteSession>;
  readonly resolve: (session: RemoteSession) => void;
  readonly reject: (e: Error) => void;
}

/** One announcement of a vault through a workstation (HES RemoteDeviceDescription). */
interface Announcement {
  session: RemoteSession | undefined;
  setup: PendingSetup | undefined;
  /** Forgotten: a session verified for it afterwards is born shut (HES shut its Device). */
  gone: boolean;
}

function pendingSetup(): PendingSetup {
  let resolve!: (session: RemoteSession) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<RemoteSession>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting any more when it settles (the owner gave up): never unhandled.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Reports what a set-up that nobody waits for ended with. */
export type SetupLog = (vaultId: string, error: Error | undefined) => void;

export class VaultConnections implements DeviceHubListener {
  /** vaultId → workstationId → announcement, in announcement order (not persisted). */
  readonly #byVault = new Map<string, Map<string, Announcement>>();
  #closed = false;

  constructor(
    private readonly relay: VaultRelay,
    private readonly verify: VerifyChannel,
    private readonly log: SetupLog,
  ) {
    relay.listen(this);
  }

  /** ConnectionState Initializing (HES OnDeviceConnected: TryAdd, an existing one stays). */
  announce(vaultId: string, workstationId: string): void {
    const forVault = this.#byVault.get(vaultId) ?? new Map<string, Announcement>();
    if (!forVault.has(workstationId)) {
      forVault.set(workstationId, { session: undefined, setup: undefined, gone: false });
    }
    this.#byVault.set(vaultId, forVault);
  }

  /** Offline, or its device hub went (HES removes the announcement and shuts the Device). */
  forget(vaultId: string, workstationId: string): void {
    const forVault = this.#byVault.get(vaultId);
    const announcement = forVault?.get(workstationId);
    if (!forVault || !announcement) return;
    forVault.delete(workstationId);
    if (forVault.size === 0) this.#byVault.delete(vaultId);
    announcement.gone = true;
    announcement.session?.shut();
  }

  /** The workstation's AppHub connection is gone: every vault it announced. */
  forgetWorkstation(workstationId: string): void {
    for (const vaultId of [...this.#byVault.keys()]) this.forget(vaultId, workstationId);
  }

  /** The workstations the vault is announced through. */
  workstations(vaultId: string): readonly string[] {
    return [...(this.#byVault.get(vaultId)?.keys() ?? [])];
  }

  /**
   * HES ConnectDevice: the announcement through `workstationId`, or with null (a background
   * job) one that has a session, else the first; 511 without one; 512 when the set-up is not
   * done in time; 605 when it ends without a session.
   */
  async connect(vaultId: string, workstationId: string | null): Promise<RemoteSession> {
    const chosen = this.choose(vaultId, workstationId);
    if (!chosen) throw hesError(HesErrorCode.DeviceNotConnectedToAnyHost);
    const [ws, announcement] = chosen;
    if (announcement.session) return announcement.session;
    if (announcement.setup) return announcement.setup.promise;
    const setup = pendingSetup();
    announcement.setup = setup;
    const timer = setTimeout(
      () => setup.reject(hesError(HesErrorCode.RemoteConnectionTimedOut)),
      this.relay.setupTimeoutMs,
    );
    timer.unref();
    try {
      // Sent whether or not the workstation is there; with nobody there the wait ends in 512.
      if (this.#closed) setup.reject(closing());
      else this.relay.establish(vaultId, ws);
      await setup.promise;
    } finally {
      clearTimeout(timer);
      if (announcement.setup === setup) announcement.setup = undefined;
    }
    // HES reads the Device back after the wait: a set-up lost meanwhile leaves none.
    if (!announcement.session)
      throw hesError(HesErrorCode.HesFailedEstablishRemoteDeviceConnection);
    return announcement.session;
  }

  deviceHubConnected(vaultId: string, workstationId: string, channel: VaultChannel): boolean {
    const announcement = this.#byVault.get(vaultId)?.get(workstationId);
    if (!announcement || this.#closed) return false;
    void this.verifyOn(vaultId, workstationId, announcement, channel);
    return true;
  }

  deviceHubDisconnected(vaultId: string, workstationId: string): void {
    this.forget(vaultId, workstationId);
  }

  relayClosed(): void {
    this.#closed = true;
    for (const forVault of this.#byVault.values()) {
      for (const announcement of forVault.values()) announcement.setup?.reject(closing());
    }
  }

  private choose(
    vaultId: string,
    workstationId: string | null,
  ): [string, Announcement] | undefined {
    const forVault = this.#byVault.get(vaultId);
    if (!forVault) return undefined;
    if (workstationId !== null) {
      const announcement = forVault.get(workstationId);
      return announcement ? [workstationId, announcement] : undefined;
    }
    const all = [...forVault.entries()];
    return all.find(([, a]) => a.session !== undefined) ?? all[0];
  }

  private async verifyOn(
    vaultId: string,
    workstationId: string,
    announcement: Announcement,
    channel: VaultChannel,
  ): Promise<void> {
    // HES replaces the Device with the one being verified.
    announcement.session = undefined;
    let session: RemoteSession;
    try {
      session = new RemoteSession(await this.verify(vaultId, channel), workstationId);
    } catch (e) {
      const error = asError(e);
      if (announcement.setup) announcement.setup.reject(error);
      else this.log(vaultId, error);
      return;
    }
    if (!announcement.setup) {
      // HES quirk: OnDeviceHubConnected completes the pending set-up without checking that
      // there is one; with none, the NullReferenceException drops the verified Device.
      this.log(vaultId, new NonHideezError(NonHideezReason.NullReference, NULL_REFERENCE_TEXT));
      return;
    }
    if (announcement.gone) session.shut();
    announcement.session = session;
    announcement.setup.resolve(session);
  }
}

const closing = (): NonHideezError =>
  new NonHideezError(NonHideezReason.Closing, 'The server is shutting down');

const asError = (e: unknown): Error =>
  e instanceof Error ? e : new NonHideezError(NonHideezReason.BadReply, String(e));

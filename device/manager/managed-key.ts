// One key as the manager sees it: its open links (USB and BLE merged by serial
// number), the job queue every exchange goes through, and the last KeyInfo.
// Exchanges use USB while it is up (faster, no radio) and BLE otherwise, so a
// key that loses one link keeps working on the other.
//
// Reads are spent only where they can tell something new: a GetInfo with nothing
// sent to the key since the last one (and no event saying the key changed in a way
// it did not fully describe) is answered from that read; and a read the key's own
// events ask for waits while the server is talking to the key, so it never holds up
// the server's commands (the flow reads the key when the server is done anyway).
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import type { KeyInfo } from '../../shared/key/key-info';
import { DeviceError, DeviceErrorKind, type DeviceErrorData } from '../errors/device-error';
import type { KeyConnection } from '../key/key-connection';
import { applyStateUpdate, isWholeLockState, type KeyEvent } from '../key/key-events';
import { type KeyAnswer, KeyOp, type KeyOperation, operationLabel } from '../key/key-operations';
import type { KeepaliveStatus } from '../transport/transport';
import { JobQueue } from './job-queue';
import type { KeyConnectionState, KeyLinkRecord, KeyRecord } from './key-record';

export interface KeyRequestOptions {
  /** Time limit for the key's answer; every keepalive restarts it (the transport's rule). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** For diagnostics only (never message contents). Defaults to the operation's name. */
  readonly label?: string;
  readonly onKeepalive?: (status: KeepaliveStatus) => void;
  /**
   * Absolute limit for the whole job, keepalives included: a safety net against
   * a link that keeps saying "processing" forever. Default: timeoutMs plus the
   * longest button wait the protocol allows.
   */
  readonly maxDurationMs?: number;
  /**
   * ReadInfo only: answer from the last read when nothing was sent to the key since and no
   * event said it changed beyond what the event told (the flow's reads; the manager's own).
   */
  readonly reuseCurrentInfo?: boolean;
}

export interface ManagedKeyOptions {
  readonly infoTimeoutMs: number;
  readonly graceMs?: number;
  /** The record changed (state, links, info). */
  readonly changed: () => void;
  /** An event from the key's active link (one copy even when both links are up). */
  readonly event: (event: KeyEvent) => void;
}

interface AttachedLink {
  readonly opened: KeyConnection;
  rssi: number | undefined;
  readonly stopEvents: () => void;
}

const LONGEST_BUTTON_WAIT_MS = 600_000;
const DEFAULT_GRACE_MS = 2_000;
/** A read the key's events ask for waits until the server's channel has been quiet this long. */
export const SERVER_SESSION_QUIET_MS = 400;

/**
 * Operations that change nothing GetInfo answers but the lock state: after one, an event
 * telling the whole lock state makes the last read current again (the PIN step's re-read).
 */
const LOCK_ONLY: ReadonlySet<KeyOperation['op']> = new Set([
  KeyOp.UnlockWithCode,
  KeyOp.EnterPin,
  KeyOp.SetPin,
  KeyOp.WaitButton,
]);

/** Whether an operation may change what GetInfo answers (the channel's set-up steps cannot). */
const mayChangeKey = (operation: KeyOperation): boolean =>
  operation.op !== KeyOp.ReadInfo &&
  !(
    operation.op === KeyOp.ServerChannel &&
    operation.request.kind !== 'message' &&
    operation.request.kind !== 'control'
  );

/** Waits for `work` to settle, but no longer than `ms`. */
function settledWithin(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!work) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void work.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export class ManagedKey {
  readonly #links = new Map<string, AttachedLink>();
  /** Link ids being opened (or reopened after a loss) for this key. */
  readonly #connecting = new Set<string>();
  readonly #queue: JobQueue;
  #info: KeyInfo | undefined;
  #openError: DeviceErrorData | undefined;
  #refreshQueued = false;
  /** #info is what GetInfo would answer now: nothing sent since the read, no partial event. */
  #infoCurrent = false;
  /** Bumped by every partial event: a read that overlapped one may predate the change. */
  #partialEvents = 0;
  /** The last exchange changed only the lock state: the key's word on it makes #info current. */
  #lockOnlySinceRead = false;
  /** When the server last had the key's channel (its messages), for deferring event reads. */
  #serverActiveAt = Number.NEGATIVE_INFINITY;
  /** A server message is being relayed to the key now (a long one outlasts the quiet time). */
  #serverStepRunning = false;
  #refreshTimer: NodeJS.Timeout | undefined;
  /** Other hosts connected to the key, as it last said (Key 3 STATUS). */
  #otherHosts: number | undefined;
  /** The link the running job uses, so a stuck job can have its link reset. */
  #busyLink: AttachedLink | undefined;
  /** The running exchange, settled once the transport has finished with it. */
  #busyWork: Promise<unknown> | undefined;

  constructor(
    readonly serialNo: string,
    private readonly options: ManagedKeyOptions,
  ) {
    this.#queue = new JobQueue({
      ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
      // A job that ignores its abort holds the link: closing the transport ends
      // its I/O; the link supervisor then reopens the link.
      onStuck: () => void this.#busyLink?.opened.close(),
    });
    // No link yet: requests fail at once with Disconnected until one attaches.
    this.#queue.close(this.disconnectedError());
  }

  get state(): KeyConnectionState {
    if (this.#links.size > 0) return 'connected';
    return this.#connecting.size > 0 ? 'connecting' : 'disconnected';
  }

  hasLink(id: string): boolean {
    return this.#links.has(id) || this.#connecting.has(id);
  }

  record(): KeyRecord {
    const links: KeyLinkRecord[] = this.#ordered().map(({ opened, rssi }) => ({
      id: opened.descriptor.id,
      link: opened.descriptor.link,
      name: opened.descriptor.name,
      ...(rssi !== undefined ? { rssi } : {}),
    }));
    const active = this.#active();
    const rssi = links.find((l) => l.rssi !== undefined)?.rssi;
    return {
      serialNo: this.serialNo,
      state: this.state,
      links,
      ...(active ? { activeLink: active.opened.descriptor.link } : {}),
      ...(rssi !== undefined ? { rssi } : {}),
      ...(this.#info ? { info: this.#info } : {}),
      ...(this.#otherHosts !== undefined ? { otherHosts: this.#otherHosts } : {}),
      // Kept while a link is reopened, so "press the button to pair" stays on screen meanwhile.
      ...(this.#openError && this.state !== 'connected' ? { openError: this.#openError } : {}),
    };
  }

  connecting(id: string, on: boolean): void {
    if (on === this.#connecting.has(id)) return;
    if (on) this.#connecting.add(id);
    else this.#connecting.delete(id);
    this.options.changed();
  }

  /** A link failed to open; kept for the UI while the key has no link (e.g. no permission). */
  openFailed(id: string, error: DeviceError): void {
    this.#openError = error.toJSON();
    this.#connecting.delete(id);
    this.options.changed();
  }

  attach(opened: KeyConnection): void {
    const id = opened.descriptor.id;
    this.#links.get(id)?.stopEvents();
    const link: AttachedLink = {
      opened,
      rssi: opened.descriptor.rssi,
      stopEvents: opened.onEvent((event) => this.#onEvent(link, event)),
    };
    this.#links.set(id, link);
    this.#connecting.delete(id);
    this.#info = opened.info;
    this.#infoCurrent = true; // the link's opening read
    this.#openError = undefined;
    this.#queue.reopen();
    this.options.changed();
  }

  /** The link went away; without links the queue fails everything with Disconnected. */
  detach(id: string, reason?: DeviceError): void {
    const link = this.#links.get(id);
    if (!link) return;
    link.stopEvents();
    this.#links.delete(id);
    if (this.#links.size === 0) this.#queue.close(reason ?? this.disconnectedError());
    this.options.changed();
  }

  setRssi(id: string, rssi: number | undefined): void {
    const link = this.#links.get(id);
    if (!link || link.rssi === rssi) return;
    link.rssi = rssi;
    this.options.changed();
  }

  /** Throws the family's ProtocolError for an operation the key's link could never send. */
  check(operation: KeyOperation): void {
    this.#active()?.opened.check(operation);
  }

  request(operation: KeyOperation, options: KeyRequestOptions): Promise<KeyAnswer> {
    // Nothing queued before it: the read it would get when it ran is the current one now.
    const idle = this.#queue.size === 0 && !this.#queue.isClosed;
    const reused = idle ? this.#reusedRead(operation, options) : undefined;
    if (reused) return Promise.resolve(reused);
    const label = options.label ?? operationLabel(operation);
    const maxDurationMs = options.maxDurationMs ?? options.timeoutMs + LONGEST_BUTTON_WAIT_MS;
    return this.#queue.run((signal) => this.#exchange(operation, options, signal), {
      timeoutMs: maxDurationMs,
      label,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * Fails every job, lets the running one cancel on the key (bounded by the
   * grace period), then closes every link. The key is not usable afterwards.
   */
  async close(reason: DeviceError): Promise<void> {
    this.#queue.close(reason);
    clearTimeout(this.#refreshTimer);
    await settledWithin(this.#busyWork, this.options.graceMs ?? DEFAULT_GRACE_MS);
    const links = [...this.#links.values()];
    this.#links.clear();
    this.#connecting.clear();
    for (const link of links) link.stopEvents();
    await Promise.all(links.map((l) => l.opened.close().catch(() => undefined)));
  }

  /** The answer of the last read, for a read that may reuse it while it is current on a live link. */
  #reusedRead(operation: KeyOperation, options: KeyRequestOptions): KeyAnswer | undefined {
    if (operation.op !== KeyOp.ReadInfo || options.reuseCurrentInfo !== true) return undefined;
    if (!this.#infoCurrent || !this.#info || !this.#active()) return undefined;
    return { op: KeyOp.ReadInfo, status: DeviceErrorCode.OK, info: this.#info };
  }

  async #exchange(
    operation: KeyOperation,
    options: KeyRequestOptions,
    signal: AbortSignal,
  ): Promise<KeyAnswer> {
    // Chosen when the job starts, not when it was queued: the link may have changed.
    const link = this.#active();
    if (!link) throw this.disconnectedError();
    const reused = this.#reusedRead(operation, options);
    if (reused) return reused;
    const partialEvents = this.#partialEvents;
    const serverStep = operation.op === KeyOp.ServerChannel && mayChangeKey(operation);
    if (mayChangeKey(operation)) {
      // Only a read that was current before the command can be made current again by its event.
      this.#lockOnlySinceRead = this.#infoCurrent && LOCK_ONLY.has(operation.op);
      this.#infoCurrent = false;
    }
    if (serverStep) {
      this.#serverActiveAt = performance.now();
      this.#serverStepRunning = true;
    }
    this.#busyLink = link;
    const connection = link.opened;
    let stopWatching = (): void => undefined;
    // The driver rejects its operation on disconnect itself; this makes sure
    // the job ends even if the link vanishes between two of its steps.
    const gone = new Promise<never>((_, reject) => {
      stopWatching = connection.onDisconnect((reason) => reject(reason));
    });
    const work = connection.perform(operation, {
      timeoutMs: options.timeoutMs,
      signal,
      ...(options.onKeepalive ? { onKeepalive: options.onKeepalive } : {}),
    });
    gone.catch(() => undefined);
    this.#busyWork = work.catch(() => undefined);
    try {
      const answer = await Promise.race([work, gone]);
      if ('info' in answer && answer.info.serialNo === this.serialNo) {
        this.#info = answer.info;
        this.#infoCurrent = partialEvents === this.#partialEvents;
      }
      return answer;
    } finally {
      if (serverStep) {
        this.#serverActiveAt = performance.now();
        this.#serverStepRunning = false;
      }
      stopWatching();
      work.catch(() => undefined);
      if (this.#busyLink === link) {
        this.#busyLink = undefined;
        this.#busyWork = undefined;
      }
    }
  }

  #onEvent(link: AttachedLink, event: KeyEvent): void {
    if (event.kind === 'state') {
      const { update } = event;
      // Both links of a key send the same state; the link it comes over only owns the RSSI.
      let changed = false;
      const updated = this.#info && applyStateUpdate(this.#info, update);
      if (updated) {
        this.#info = updated;
        changed = true;
      }
      if (update.rssi !== undefined && link.rssi !== update.rssi) {
        link.rssi = update.rssi;
        changed = true;
      }
      if (update.otherHosts !== undefined && update.otherHosts !== this.#otherHosts) {
        this.#otherHosts = update.otherHosts;
        changed = true;
      }
      if (update.refresh) {
        this.#infoCurrent = false;
        this.#partialEvents++;
      } else if (this.#lockOnlySinceRead && isWholeLockState(update)) {
        // The key told all that its last command could change: no read needed after it.
        this.#infoCurrent = true;
      }
      if (changed) this.options.changed();
      if (update.refresh) this.#refreshInfo();
    }
    if (link === this.#active()) this.options.event(event);
  }

  /**
   * One queued GetInfo at a time, however many events arrive (both links send them);
   * while the server is talking to the key, once its channel has gone quiet.
   */
  #refreshInfo(): void {
    if (this.#refreshQueued || this.#links.size === 0) return;
    const wait = this.#serverStepRunning
      ? SERVER_SESSION_QUIET_MS
      : this.#serverActiveAt + SERVER_SESSION_QUIET_MS - performance.now();
    if (wait > 0) {
      clearTimeout(this.#refreshTimer);
      this.#refreshTimer = setTimeout(() => this.#refreshInfo(), wait);
      this.#refreshTimer.unref();
      return;
    }
    this.#refreshQueued = true;
    this.request(
      { op: KeyOp.ReadInfo },
      { timeoutMs: this.options.infoTimeoutMs, label: 'refreshInfo', reuseCurrentInfo: true },
    )
      .then((answer) => {
        if ('info' in answer && answer.info.serialNo === this.serialNo) {
          this.#info = answer.info;
          this.options.changed();
        }
      })
      .catch(() => undefined) // a failed refresh keeps the patched info; the next event retries
      .finally(() => (this.#refreshQueued = false));
  }

  #ordered(): AttachedLink[] {
    return [...this.#links.values()].sort(
      (a, b) => rank(a.opened.descriptor.link) - rank(b.opened.descriptor.link),
    );
  }

  /** The open link of the best rank: one pass, no sorted copy (it is asked on every request). */
  #active(): AttachedLink | undefined {
    let best: AttachedLink | undefined;
    for (const link of this.#links.values()) {
      if (!link.opened.isOpen) continue;
      if (!best || rank(link.opened.descriptor.link) < rank(best.opened.descriptor.link)) {
        best = link;
      }
    }
    return best;
  }

  disconnectedError(): DeviceError {
    return new DeviceError(DeviceErrorKind.Disconnected, 'The key is not connected', {
      serialNo: this.serialNo,
    });
  }
}

const rank = (link: string): number => (link === 'usb' ? 0 : 1);

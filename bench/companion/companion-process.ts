// The orchestrator's handle on the companion's process: forks companion/host.ts under
// tsx with --expose-gc, routes the key-link bridge to the world's KeyLinks, keeps the
// latest state of every key with the time it was reached, and makes calls.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTimeout } from '../clock';
import type { KeyLinks } from '../world/key-links';
import {
  isFromHost,
  type ExchangeRecord,
  type FromHost,
  type HostCall,
  type HostConfig,
  type KeyState,
  type ToHost,
  type Usage,
} from './protocol';

const HOST = join(import.meta.dirname, 'host.ts');
/** BENCH_CPU_PROFILE=<dir>: V8 CPU profiles of the companion's processes, to see what dominates. */
const PROFILE_DIR = process.env['BENCH_CPU_PROFILE'];

export interface Reached {
  readonly key: KeyState;
  /** nowMs() in the companion's process when its snapshot showed this state. */
  readonly at: number;
}

interface Waiter {
  readonly serialNo: string;
  readonly after: number;
  readonly match: (key: KeyState) => boolean;
  readonly resolve: (reached: Reached) => void;
}

type HostConfigInput =
  | Omit<Extract<HostConfig, { mode: 'app' }>, 'dataDir'>
  | Omit<Extract<HostConfig, { mode: 'audit' }>, 'dataDir'>;

export class CompanionProcess {
  readonly keys = new Map<string, Reached>();
  serverState = 'connecting';
  /** The companion's usage before any of its code was loaded. */
  booted: Usage | undefined;
  readonly #calls = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  readonly #waiters = new Set<Waiter>();
  readonly #serverWaiters = new Set<() => void>();
  readonly #keyListeners = new Set<(reached: Reached) => void>();
  #nextCall = 0;
  #exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly links: KeyLinks | undefined,
    private readonly dataDir: string,
  ) {
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: unknown) => {
      if (isFromHost(message)) this.#receive(message);
    });
    child.once('exit', (code) => {
      links?.detach();
      for (const call of this.#calls.values()) call.reject(new Error(`companion exited (${code})`));
      this.#calls.clear();
    });
    links?.attach((message) => this.#post(message));
  }

  /** Forks the companion and starts it; resolves when its services are up. */
  static async start(config: HostConfigInput, links?: KeyLinks): Promise<CompanionProcess> {
    const dataDir = await mkdtemp(join(tmpdir(), 'hideez-bench-companion-'));
    const child = fork(HOST, [], {
      execArgv: [
        '--import',
        'tsx',
        '--expose-gc',
        ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
      ],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const host = new CompanionProcess(child, links, dataDir);
    const ready = new Promise<void>((resolve) => {
      const onMessage = (message: unknown): void => {
        if (!isFromHost(message) || message.t !== 'ready') return;
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
    });
    host.#post({ t: 'start', config: { ...config, dataDir } as HostConfig });
    await withTimeout(ready, 60_000, 'the companion process to start');
    return host;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call(call: HostCall): Promise<unknown> {
    const id = ++this.#nextCall;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      this.#post({ t: 'call', id, call });
    });
  }

  async usage(): Promise<Usage> {
    return (await this.call({ c: 'usage' })) as Usage;
  }

  async gc(): Promise<Usage> {
    return (await this.call({ c: 'gc' })) as Usage;
  }

  async exchanges(): Promise<ExchangeRecord[]> {
    return (await this.call({ c: 'exchanges' })) as ExchangeRecord[];
  }

  async workstationId(): Promise<string> {
    return (await this.call({ c: 'workstationId' })) as string;
  }

  /**
   * The activation code typed into the prompt; resolves with the moment the companion's
   * process received it (nowMs()), where a flow the submit starts is timed from.
   */
  submitCode(serialNo: string, code: string): Promise<number> {
    return this.#submit({ c: 'submitCode', serialNo, code });
  }

  /** The PIN typed into the prompt; resolves like submitCode. */
  submitPin(serialNo: string, pin: string): Promise<number> {
    return this.#submit({ c: 'submitPin', serialNo, pin });
  }

  /** A first PIN, typed twice the same; resolves like submitCode. */
  submitNewPin(serialNo: string, pin: string): Promise<number> {
    return this.#submit({ c: 'submitNewPin', serialNo, pin });
  }

  /** Forgets a key that is switched off and done with (forgetKey); rejects if it is still here. */
  async forgetKey(serialNo: string): Promise<void> {
    await this.call({ c: 'forgetKey', serialNo });
  }

  async #submit(call: HostCall): Promise<number> {
    const answer = await this.call(call);
    const receivedAt =
      typeof answer === 'object' && answer !== null && 'receivedAt' in answer
        ? answer.receivedAt
        : undefined;
    if (typeof receivedAt !== 'number') throw new Error(`${call.c}: no arrival time in its answer`);
    return receivedAt;
  }

  /** Sends raw messages for the bridge calibration (nothing is done with them). */
  noise(count: number): void {
    for (let i = 0; i < count; i++) this.#post({ t: 'noise', report: new Uint8Array(64) });
  }

  onKey(listener: (reached: Reached) => void): () => void {
    this.#keyListeners.add(listener);
    return () => this.#keyListeners.delete(listener);
  }

  /** The first state of the key, reached at or after `after`, that matches. */
  until(
    serialNo: string,
    match: (key: KeyState) => boolean,
    after: number,
    timeoutMs = 60_000,
  ): Promise<Reached> {
    const current = this.keys.get(serialNo);
    if (current && current.at >= after && match(current.key)) return Promise.resolve(current);
    const reached = new Promise<Reached>((resolve) => {
      this.#waiters.add({ serialNo, after, match, resolve });
    });
    return withTimeout(reached, timeoutMs, `key ${serialNo.slice(-4)} to reach a state`);
  }

  untilServer(state: string, timeoutMs = 30_000): Promise<void> {
    if (this.serverState === state) return Promise.resolve();
    const reached = new Promise<void>((resolve) => {
      const check = (): void => {
        if (this.serverState !== state) return;
        this.#serverWaiters.delete(check);
        resolve();
      };
      this.#serverWaiters.add(check);
    });
    return withTimeout(reached, timeoutMs, `the server connection to be ${state}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.connected) {
      await withTimeout(this.call({ c: 'stop' }), 30_000, 'the companion to stop').catch(() => {
        this.child.kill('SIGKILL');
      });
    }
    await withTimeout(this.#exited, 10_000, 'the companion process to exit').catch(() => {
      this.child.kill('SIGKILL');
    });
    await rm(this.dataDir, { recursive: true, force: true });
  }

  #post(message: ToHost): void {
    if (this.child.connected) this.child.send(message);
  }

  #receive(message: FromHost): void {
    if (this.links?.receive(message)) return;
    switch (message.t) {
      case 'booted':
        this.booted = message.usage;
        return;
      case 'answer':
      case 'failed': {
        const call = this.#calls.get(message.id);
        this.#calls.delete(message.id);
        if (message.t === 'answer') call?.resolve(message.value);
        else call?.reject(new Error(message.message));
        return;
      }
      case 'key': {
        const reached = { key: message.key, at: message.at };
        this.keys.set(message.key.serialNo, reached);
        for (const listener of [...this.#keyListeners]) listener(reached);
        for (const waiter of [...this.#waiters]) {
          if (waiter.serialNo !== message.key.serialNo || message.at < waiter.after) continue;
          if (!waiter.match(message.key)) continue;
          this.#waiters.delete(waiter);
          waiter.resolve(reached);
        }
        return;
      }
      case 'server':
        this.serverState = message.state;
        for (const check of [...this.#serverWaiters]) check();
        return;
      default:
        return;
    }
  }
}

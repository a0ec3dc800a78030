// The REAL `npm start -- --browser --no-open --trace-ble FILE` in a child process: the
// printed URL and activation codes (an open-protocol key and a Hideez Key 3), the page with
// its CSP, the IPC contract over the WebSocket (both demo keys in the snapshot; each printed
// code takes its key to its PIN prompt or Online), then SIGINT: the demo stops cleanly and
// exits 0, leaving a Key 3 trace that holds no code.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppSnapshot, KeySnapshot } from '../../../shared/ipc/snapshot';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const TIMEOUT = 180_000;

interface Printed {
  url: string;
  codes: { serial: string; code: string }[];
}

/** The demo's keys: an open-protocol key and a Hideez Key 3. */
const DEMO_KEYS = 2;

function readPrinted(child: ChildProcess): Promise<Printed> {
  return new Promise((resolvePrinted, reject) => {
    let url: string | undefined;
    const codes: Printed['codes'] = [];
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const u = /^URL: (\S+)$/.exec(line);
      if (u) url = u[1];
      const c = /^Activation code for (\S+): (\d+)$/.exec(line);
      if (c) codes.push({ serial: c[1]!, code: c[2]! });
      if (url !== undefined && codes.length === DEMO_KEYS) resolvePrinted({ url, codes });
    });
    child.once('exit', (code) => reject(new Error(`npm start exited early (${code})`)));
  });
}

function readPid(child: ChildProcess): Promise<number> {
  return new Promise((resolvePid, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      const match = /^Demo process (\d+):/.exec(line);
      if (match) resolvePid(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`npm start exited early (${code})`)));
  });
}

class Socket {
  readonly snapshots: AppSnapshot[] = [];
  readonly #answers = new Map<number, (result: unknown) => void>();
  readonly #waiters = new Set<() => void>();
  #id = 0;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString('utf8')) as {
        id?: number;
        result?: unknown;
        event?: string;
        payload?: unknown;
      };
      if (frame.event === 'snapshot') {
        this.snapshots.push(frame.payload as AppSnapshot);
        for (const wake of [...this.#waiters]) wake();
      } else if (typeof frame.id === 'number') {
        this.#answers.get(frame.id)?.(frame.result);
      }
    });
  }
  static open(url: string, origin: string): Promise<Socket> {
    return new Promise((resolveOpen, reject) => {
      const ws = new WebSocket(url, { origin });
      ws.once('open', () => resolveOpen(new Socket(ws)));
      ws.once('error', reject);
    });
  }
  call(command: string, args: unknown[]): Promise<unknown> {
    const id = ++this.#id;
    return new Promise((resolveCall) => {
      this.#answers.set(id, resolveCall);
      this.ws.send(JSON.stringify({ id, command, args }));
    });
  }
  key(serial: string, match: (k: KeySnapshot) => boolean): Promise<KeySnapshot> {
    return new Promise((resolveKey) => {
      const test = (): boolean => {
        const last = this.snapshots.at(-1);
        const key = last?.keys.find((k) => k.serialNo === serial);
        if (key === undefined || !match(key)) return false;
        resolveKey(key);
        return true;
      };
      if (test()) return;
      const wake = (): void => {
        if (test()) this.#waiters.delete(wake);
      };
      this.#waiters.add(wake);
    });
  }
}

describe('npm start -- --browser --no-open', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  });

  it(
    'prints the URL and the codes, serves the UI and the IPC contract for both keys, and stops on SIGINT',
    async () => {
      const traceFile = join(mkdtempSync(join(tmpdir(), 'demo-trace-')), 'key3.trace');
      child = spawn('npm', ['start', '--', '--browser', '--no-open', '--trace-ble', traceFile], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      // npm re-raises a signal it gets, so the demo process itself (its pid on stderr)
      // is the one interrupted; npm then exits with the demo's code.
      const demoPid = readPid(child);
      const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
      const printed = await readPrinted(child);

      const page = new URL(printed.url);
      const token = new URLSearchParams(page.hash.slice(1)).get('token');
      expect(token).toBeTruthy();
      const response = await fetch(new URL('/', page));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await response.text()).toContain('<html');

      const socket = await Socket.open(
        `ws://${page.host}/ipc?token=${token}`,
        `${page.protocol}//${page.host}`,
      );
      const answer = (await socket.call('getSnapshot', [])) as { ok: boolean; value: AppSnapshot };
      expect(answer.ok).toBe(true);
      for (const { serial, code } of printed.codes) {
        await socket.key(serial, (k) => k.prompt?.kind === 'activationCode');
        const submitted = (await socket.call('submitActivationCode', [serial, code])) as {
          ok: boolean;
        };
        expect(submitted.ok).toBe(true);
        const after = await socket.key(
          serial,
          (k) => k.prompt?.kind === 'newPin' || k.prompt?.kind === 'pin' || k.step === 'online',
        );
        expect(after.view.kind).not.toBe('lockedByCode');
      }
      const links = new Set(socket.snapshots.at(-1)?.keys.map((k) => k.link));
      expect(links).toEqual(new Set(['usb', 'ble']));
      socket.ws.close();

      process.kill(await demoPid, 'SIGINT');
      expect(await exited).toBe(0);
      // The Key 3's session is in the trace, for the user alone, without its code.
      const trace = readFileSync(traceFile, 'utf8');
      expect(trace).toContain('"event":"channelVerified"');
      expect(statSync(traceFile).mode & 0o777).toBe(0o600);
      for (const { code } of printed.codes) expect(trace.includes(code)).toBe(false);
    },
    TIMEOUT,
  );
});

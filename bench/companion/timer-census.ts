// Which timers the companion's process holds and how often they fire, to tell an idle
// process that waits on I/O alone from one that wakes itself (a poll, a sweep, a
// retry). Installed in the companion's process before any of the companion is loaded
// (host.ts): the global setTimeout, setInterval and setImmediate are wrapped so each
// firing is counted, and every timer still pending is listed with its delay, whether it
// keeps the process alive, and where it was set (the first frame outside this file and
// node_modules' timer plumbing; taken for intervals always, and for timeouts while a
// census window is open, so a flow's CPU does not pay for the stacks). Only V8's raw
// capture is taken when a timer is set; its text (source-mapped under tsx, which costs
// about a millisecond) is made when a census lists the timer, so an idle window's CPU
// is not the census's own.
//
// process.getActiveResourcesInfo() is no substitute: it lists only the timers that keep
// the event loop alive, and an unref'd interval wakes the process just the same.

import { fileURLToPath } from 'node:url';

export type TimerKind = 'timeout' | 'interval' | 'immediate';

export interface PendingTimer {
  readonly kind: 'timeout' | 'interval';
  readonly ms: number;
  /** false: unref'd (it wakes the process, but does not keep it alive). */
  readonly ref: boolean;
  /** file:line of the code that set it, when known. */
  readonly origin?: string;
}

export interface TimerCensus {
  /** Callbacks run since the census was installed, by kind. */
  readonly fired: Readonly<Record<TimerKind, number>>;
  /** Timers set and not yet fired (timeouts) or cleared. */
  readonly pending: readonly PendingTimer[];
}

/** A stack captured when a timer was set; its text is formatted on first read. */
interface Site {
  readonly stack?: string;
}

interface Entry {
  readonly kind: 'timeout' | 'interval';
  readonly ms: number;
  readonly site: Site | undefined;
}

/** This module's own frames are skipped when looking for where a timer was set. */
const HERE = fileURLToPath(import.meta.url);

const fired: Record<TimerKind, number> = { timeout: 0, interval: 0, immediate: 0 };
const pending = new Map<NodeJS.Timeout, Entry>();
let installed = false;
let tracing = false;

function capture(): Site {
  const holder: Site = {};
  Error.captureStackTrace(holder, capture);
  return holder;
}

/** The first stack frame outside this file: where the timer was set. */
function origin(site: Site | undefined): string | undefined {
  if (!site) return undefined;
  const frames = (site.stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    if (frame.includes(HERE) || frame.includes(import.meta.url)) continue;
    const match = /\(?((?:file:\/\/)?[^\s()]+:\d+):\d+\)?$/.exec(frame.trim());
    if (match?.[1]) return match[1].replace(/^file:\/\//, '').replace(process.cwd() + '/', '');
  }
  return undefined;
}

const delayOf = (ms: unknown): number => (typeof ms === 'number' && ms > 0 ? ms : 1);

/** `fn` with the original's own properties (util.promisify.custom, __promisify__). */
function like<T extends object>(fn: T, original: object): T {
  const descriptors = Object.getOwnPropertyDescriptors(original);
  for (const key of ['length', 'name', 'prototype']) Reflect.deleteProperty(descriptors, key);
  return Object.defineProperties(fn, descriptors);
}

/** Wraps the global timer functions (once); later calls return at once. */
export function installTimerCensus(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as unknown as Record<string, unknown>;
  const setTimeoutOriginal = globalThis.setTimeout;
  const setIntervalOriginal = globalThis.setInterval;
  const setImmediateOriginal = globalThis.setImmediate;
  const clearTimeoutOriginal = globalThis.clearTimeout;
  const clearIntervalOriginal = globalThis.clearInterval;

  g['setTimeout'] = like(
    (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const handle: NodeJS.Timeout = setTimeoutOriginal(
        (...a: unknown[]) => {
          fired.timeout += 1;
          pending.delete(handle);
          callback(...a);
        },
        ms,
        ...args,
      );
      pending.set(handle, {
        kind: 'timeout',
        ms: delayOf(ms),
        site: tracing ? capture() : undefined,
      });
      return handle;
    },
    setTimeoutOriginal,
  );
  g['setInterval'] = like(
    (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const handle = setIntervalOriginal(
        (...a: unknown[]) => {
          fired.interval += 1;
          callback(...a);
        },
        ms,
        ...args,
      );
      pending.set(handle, { kind: 'interval', ms: delayOf(ms), site: capture() });
      return handle;
    },
    setIntervalOriginal,
  );
  g['setImmediate'] = like(
    (callback: (...args: unknown[]) => void, ...args: unknown[]) =>
      setImmediateOriginal(
        (...a: unknown[]) => {
          fired.immediate += 1;
          callback(...a);
        },
        ...args,
      ),
    setImmediateOriginal,
  );
  const forget = (handle: unknown): void => {
    if (handle !== null && typeof handle === 'object') {
      pending.delete(handle as NodeJS.Timeout);
      return;
    }
    // A timer's number (Node accepts one where the handle is expected).
    const id = Number(handle);
    for (const known of pending.keys()) if (Number(known) === id) pending.delete(known);
  };
  g['clearTimeout'] = (handle?: NodeJS.Timeout | string | number) => {
    forget(handle);
    clearTimeoutOriginal(handle);
  };
  g['clearInterval'] = (handle?: NodeJS.Timeout | string | number) => {
    forget(handle);
    clearIntervalOriginal(handle);
  };
}

/** While on, every timeout records where it was set (costs a stack per timeout). */
export function traceTimeouts(on: boolean): void {
  tracing = on;
}

export function timerCensus(): TimerCensus {
  return {
    fired: { ...fired },
    pending: [...pending].map(([handle, entry]) => {
      const where = origin(entry.site);
      return {
        kind: entry.kind,
        ms: entry.ms,
        ref: handle.hasRef(),
        ...(where !== undefined ? { origin: where } : {}),
      };
    }),
  };
}

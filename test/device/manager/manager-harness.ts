// Test wiring for the device manager: event-driven waits on its state (no
// sleeps), and requests that report when the key is waiting for its button.
import type { KeyDiscovery } from '../../../device/key/key-connection';
import { type KeyAnswer, KeyOp } from '../../../device/key/key-operations';
import { DeviceManager, type DeviceManagerOptions } from '../../../device/manager/device-manager';
import type { KeyRecord } from '../../../device/manager/key-record';
import { openProtocolKeys } from '../../../device/open-protocol/open-discovery';
import { Command, type Request, type Response } from '../../../device/protocol/messages';
import type { LinkKind, TransportDiscovery } from '../../../device/transport/transport';
import { DeviceErrorCode } from '../../../shared/errors/device-error-code';
import type { KeyHost } from '../../emulator/key/key-hosts';

/** Resolves when `check` holds, re-checked on every manager event. */
export function until(manager: DeviceManager, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const offs: (() => void)[] = [];
    const tick = (): void => {
      if (!check()) return;
      for (const off of offs) off();
      resolve();
    };
    offs.push(manager.on('added', tick), manager.on('changed', tick), manager.on('removed', tick));
    tick();
  });
}

export const connected = (manager: DeviceManager, serialNo: string): Promise<void> =>
  until(manager, () => manager.key(serialNo)?.state === 'connected');

export const keyWhere = (
  manager: DeviceManager,
  serialNo: string,
  check: (key: KeyRecord) => boolean,
): Promise<void> =>
  until(manager, () => {
    const key = manager.key(serialNo);
    return key !== undefined && check(key);
  });

export const gone = (manager: DeviceManager, serialNo: string): Promise<void> =>
  until(manager, () => manager.key(serialNo) === undefined);

/** Resolves when the manager reports `state` for that kind of link. */
export function linkState(manager: DeviceManager, link: LinkKind, state: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!manager.availability().some((a) => a.link === link && a.state === state)) return;
      off();
      resolve();
    };
    const off = manager.on('availability', check);
    check();
  });
}

/** A manager over open-protocol keys on these transports (the tests' virtual keys). */
export function startManager(
  transports: TransportDiscovery[],
  options: Partial<DeviceManagerOptions> = {},
): DeviceManager {
  const discoveries: KeyDiscovery[] = transports.map((t) => openProtocolKeys(t));
  const manager = new DeviceManager({
    discoveries,
    infoTimeoutMs: 2_000,
    reconnectDelayMs: 10,
    graceMs: 500,
    ...options,
  });
  manager.start();
  return manager;
}

export const OPTS = { timeoutMs: 3_000 };

/**
 * Sends WaitButton and resolves `waiting` once the key says it needs its
 * button (its UpNeeded keepalive), so tests act at that exact step.
 */
export function waitButton(
  manager: DeviceManager,
  serialNo: string,
  extra: { signal?: AbortSignal; timeoutMs?: number } = {},
): { answer: Promise<KeyAnswer>; waiting: Promise<void> } {
  let onWaiting = (): void => undefined;
  const waiting = new Promise<void>((resolve) => (onWaiting = resolve));
  const answer = manager.request(
    serialNo,
    { op: KeyOp.WaitButton, timeoutMs: 60_000 },
    {
      timeoutMs: extra.timeoutMs ?? 3_000,
      ...(extra.signal ? { signal: extra.signal } : {}),
      onKeepalive: (status) => {
        if (status === 'upNeeded') onWaiting();
      },
    },
  );
  return { answer, waiting };
}

export const getInfo = (manager: DeviceManager, serialNo: string): Promise<KeyAnswer> =>
  manager.request(serialNo, { op: KeyOp.ReadInfo }, OPTS);

/**
 * The manager's server channel as the emulator's TestServer expects a key host: its
 * sealed RemoteCommand requests go through the seam's serverChannel operation.
 */
export function remoteHost(manager: DeviceManager, serialNo: string): KeyHost {
  return {
    async request(request: Request): Promise<Response> {
      if (request.command !== Command.RemoteCommand) throw new Error('only remote commands');
      const answer = await manager.request(
        serialNo,
        {
          op: KeyOp.ServerChannel,
          channel: request.channel,
          request: { kind: 'message', data: request.sealed },
        },
        OPTS,
      );
      if ('reply' in answer)
        return { command: Command.RemoteCommand, status: DeviceErrorCode.OK, sealed: answer.reply };
      if (answer.status === DeviceErrorCode.OK) throw new Error('no reply');
      return { command: Command.RemoteCommand, status: answer.status };
    },
  };
}

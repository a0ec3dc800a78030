// Proofs of the hub rows about SignalR itself (transports, limits, method lookup, binding
// failures), against a started stand-in with the real @microsoft/signalr client (../prove.ts).
import {
  HttpTransportType,
  HubConnectionBuilder,
  LogLevel,
  type HubConnection,
} from '@microsoft/signalr';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import { APP_HUB_PATH, HwVaultConnectionState } from '../../../../../shared/hes/dto';
import { closeWith, startServer } from '../../server/stand-in-hosts';
import type { ProofMap } from './proof';
import { APP_HUB_ARITIES, expectBindingFailure, hubWorld } from './hub-calls-world';

const RS = '\u001e';

function client(
  url: string,
  options: { transport: HttpTransportType; skipNegotiation?: boolean; id?: string },
): HubConnection {
  const connection = new HubConnectionBuilder()
    .withUrl(url, {
      transport: options.transport,
      skipNegotiation: options.skipNegotiation ?? false,
      headers: options.id === undefined ? {} : { WorkstationId: options.id },
    })
    .configureLogging(LogLevel.None)
    .build();
  closeWith(() => connection.stop());
  return connection;
}

/** A raw WebSocket on the AppHub without negotiate; its frames in order and its close. */
function rawAppHub(base: string): { frames: string[]; closed: Promise<void>; socket: WebSocket } {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}${APP_HUB_PATH}`);
  closeWith(() => socket.terminate());
  const frames: string[] = [];
  socket.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { frames, closed, socket };
}

const seconds = (since: number): number => (Date.now() - since) / 1000;

export const PROOFS: ProofMap = {
  '1.1': async () => {
    const server = await startServer();
    const negotiated = await fetch(`${server.url}${APP_HUB_PATH}/negotiate?negotiateVersion=1`, {
      method: 'POST',
    });
    const body = (await negotiated.json()) as { availableTransports: { transport: string }[] };
    expect(body.availableTransports.map((t) => t.transport)).toEqual([
      'WebSockets',
      'ServerSentEvents',
      'LongPolling',
    ]);
    // Every transport carries the AppHub, the WorkstationId header included; WebSockets also
    // without negotiate.
    const ways = [
      { transport: HttpTransportType.WebSockets, skipNegotiation: true },
      { transport: HttpTransportType.ServerSentEvents },
      { transport: HttpTransportType.LongPolling },
    ];
    for (const [i, way] of ways.entries()) {
      const id = `ws-1-1-${i}`;
      const connection = client(`${server.url}${APP_HUB_PATH}`, { ...way, id });
      await connection.start();
      const reply = await connection.invoke<unknown>('RegisterWorkstationInfo', { id });
      expect(reply, HttpTransportType[way.transport]).toEqual({
        code: 604,
        message: 'HesWorkstationNotApproved (604)',
        data: null,
      });
      server.standIn.approveWorkstation(id);
      await expect(connection.invoke('RegisterWorkstationInfo', { id })).resolves.toEqual({
        code: 0,
        message: '',
        data: null,
      });
    }
  },

  '1.2': async () => {
    const server = await startServer();
    const open = async () => {
      const raw = rawAppHub(server.url);
      await new Promise((resolve) => raw.socket.once('open', resolve));
      return raw;
    };
    // 32 KB: a record and its separator of 32 768 bytes are read; one byte more closes it.
    const frame = (filler: string): string =>
      `{"type":1,"target":"GetHwVaultInfoBySerialNo","arguments":["${filler}"],"invocationId":"1"}`;
    const fits = 'x'.repeat(32_767 - frame('').length);
    const [small, big, silent] = [await open(), await open(), await open()];
    const start = Date.now();
    small.socket.send(`{"protocol":"json","version":1}${RS}${frame(fits)}${RS}`);
    big.socket.send(`{"protocol":"json","version":1}${RS}${frame(`${fits}x`)}${RS}`);
    await big.closed;
    expect(big.frames).toEqual([
      `{}${RS}`,
      `{"type":7,"error":"Connection closed with an error."}${RS}`,
    ]);
    // Handshake 15 s; keep-alive 15 s and client timeout 30 s on the connection that talked.
    await silent.closed;
    expect(seconds(start)).toBeGreaterThanOrEqual(14.9);
    expect(silent.frames).toEqual([`{"error":"Handshake was canceled."}${RS}`]);
    expect(small.frames.slice(0, 2)).toEqual([
      `{}${RS}`,
      `{"type":3,"invocationId":"1","result":{"code":1001,"message":"AppHub does not contain WorkstationId!","data":null}}${RS}`,
    ]);
    while (small.frames.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(small.frames[2]).toBe(`{"type":6}${RS}`);
    expect(seconds(start)).toBeLessThan(16);
    await small.closed;
    expect(seconds(start)).toBeGreaterThanOrEqual(29.9);
  },

  '1.3': async () => {
    const world = await hubWorld();
    for (const name of [
      'getHwVaultInfoBySerialNo',
      'GETHWVAULTINFOBYSERIALNO',
      'gEtHwVaUlTiNfObYsErIaLnO',
    ]) {
      const reply = await world.ws.invoke(name, world.serial);
      expect(reply, name).toMatchObject({ code: 0, message: null });
    }
  },

  '1.6': async () => {
    const world = await hubWorld();
    const dto = await world.dto(HwVaultConnectionState.Initializing);
    for (const [method, arity] of APP_HUB_ARITIES) {
      await expectBindingFailure(world.ws.invoke(method), method);
      const args = Array.from({ length: arity + 1 }, () => null);
      await expectBindingFailure(world.ws.invoke(method, ...args), method);
    }
    // C#'s default value of returnInfo does not help: two arguments, always.
    await expectBindingFailure(
      world.ws.invoke('UpdateHwVaultProperties', dto),
      'UpdateHwVaultProperties',
    );
  },

  '1.7': async () => {
    const world = await hubWorld();
    for (const method of ['OnUnlockWorkstationResponse', 'NoSuchMethod']) {
      await expect(world.ws.invoke(method, 'request', 0, 'text'), method).rejects.toThrow(
        new RegExp(
          `^Failed to invoke '${method}' due to an error on the server\\. HubException: Method does not exist\\.$`,
        ),
      );
    }
    expect(world.ws.appHub.state).toBe('Connected');
  },

  '1.8': async () => {
    const world = await hubWorld();
    const dto = await world.dto(HwVaultConnectionState.Online, { battery: 42 });
    const refused: [string, unknown[]][] = [
      ['UpdateHwVaultProperties', ['a string for a DTO', true]],
      ['UpdateHwVaultProperties', [dto, 'true']],
      ['UpdateHwVaultProperties', [{ ...dto, battery: 128 }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, isLocked: null }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, bootloaderVersion: '1.0.2.0' }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, deviceTime: '2026-13-01T00:00:00' }, true]],
      ['UpdateHwVaultProperties', [{ ...dto, connectionState: '3' }, true]],
      ['UpdateHwVaultStatus', [[dto]]],
      ['RegisterWorkstationInfo', [{ id: world.ws.id, isAlarmTurnOn: 'false' }]],
      ['SaveClientEvents', [[{ id: 'e', eventId: 'ComputerLock' }]]],
      ['GetHwVaultInfoBySerialNo', [42]],
      ['UpdateHwVaultAccounts', [world.serial, 0]],
    ];
    for (const [method, args] of refused)
      await expectBindingFailure(world.ws.invoke(method, ...args), method);
    // The methods never ran: the battery HES would have stored is not there, no event either.
    expect(world.db.vaults.get(world.serial)?.battery).not.toBe(42);
    expect(world.db.events.list()).toEqual([]);
    expect((await world.ws.invoke('UpdateHwVaultProperties', dto, false)).code).toBe(0);
    expect(world.db.vaults.get(world.serial)?.battery).toBe(42);
  },

  '1.21': async () => {
    const world = await hubWorld();
    await expect(
      world.ws.invoke('OnUnlockWorkstationResponse', 'request-1', 0, null),
    ).rejects.toThrow(
      "Failed to invoke 'OnUnlockWorkstationResponse' due to an error on the server. HubException: Method does not exist.",
    );
  },
};

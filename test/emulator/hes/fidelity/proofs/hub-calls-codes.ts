// Proofs of the error-code rows: which codes the hubs answer when (the gate's 604 and 618,
// 1001 with HES's texts, SignalR completion errors), and which they never answer because only
// a client or the SDK makes them — with the real client against a started stand-in.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { HwVaultConnectionState, type HesResponse } from '../../../../../shared/hes/dto';
import type { TestWorkstation } from '../../server/stand-in-hosts';
import type { ProofMap } from './proof';
import {
  everyCall,
  expectBindingFailure,
  failure,
  hubWorld,
  NO_WORKSTATION_ID,
  NULL_REFERENCE,
  reserveVault,
  type HubWorld,
} from './hub-calls-world';

/** Every AppHub method once from `ws`, with the world's vault (what a client can ask). */
async function everyMethod(world: HubWorld, ws: TestWorkstation): Promise<HesResponse<unknown>[]> {
  const replies: HesResponse<unknown>[] = [];
  for (const [method, args] of await everyCall(world, ws.id)) {
    replies.push(await ws.invoke(method, ...args));
  }
  return replies;
}

/** The codes the hubs answer across the states a client can meet (header, gate, alarm, nulls). */
async function codesSeen(): Promise<Set<number>> {
  const world = await hubWorld();
  const codes = new Set<number>();
  const note = (replies: readonly HesResponse<unknown>[]) => {
    for (const reply of replies) codes.add(reply.code);
  };
  note(await everyMethod(world, await world.connect(undefined)));
  note(await everyMethod(world, await world.connect('ws-unapproved')));
  note(await everyMethod(world, world.ws));
  reserveVault(world);
  note(await everyMethod(world, world.ws));
  note([
    await world.ws.invoke('RegisterWorkstationInfo', null),
    await world.ws.invoke('SaveClientEvents', null),
    await world.ws.invoke('UpdateHwVaultProperties', null, false),
  ]);
  world.server.standIn.setAlarm(true);
  note(await everyMethod(world, world.ws));
  return codes;
}

const notAnswered = (codes: readonly number[]) => async () => {
  const seen = await codesSeen();
  expect(seen.size).toBeGreaterThan(5);
  for (const code of codes) expect(seen.has(code), `code ${code}`).toBe(false);
};

export const PROOFS: ProofMap = {
  '3.1': async () => {
    const world = await hubWorld();
    expect(await world.ws.register()).toEqual({ code: 0, message: '', data: null });
    expect((await world.ws.invoke('GetHwVaultInfoBySerialNo', world.serial)).code).toBe(0);
  },

  '3.6': notAnswered([601, 602, 603, 619]),

  '3.7': async () => {
    const world = await hubWorld();
    const notApproved = failure(604, 'HesWorkstationNotApproved (604)');
    for (const ws of [await world.connect('ws-unknown'), await world.connect('ws-unapproved')]) {
      if (ws.id === 'ws-unapproved') expect(await ws.register()).toEqual(notApproved);
      for (const reply of await everyMethod(world, ws)) expect(reply).toEqual(notApproved);
    }
  },

  '3.17': async () => {
    const world = await hubWorld();
    world.server.standIn.setAlarm(true);
    for (const reply of await everyMethod(world, world.ws)) {
      expect(reply).toEqual(failure(618, 'HesAlarm (618)'));
    }
  },

  '3.19': notAnswered([1000]),

  '3.20': async () => {
    const world = await hubWorld();
    const headless = await world.connect(undefined);
    expect(await headless.invoke('GetHwVaultInfoBySerialNo', world.serial)).toEqual(
      failure(1001, NO_WORKSTATION_ID),
    );
    expect(await world.ws.invoke('GetHwVaultInfoByRfid', 'none')).toEqual(
      failure(1001, NULL_REFERENCE),
    );
    expect(await world.ws.invoke('SaveClientEvents', null)).toEqual(
      failure(1001, "Value cannot be null. (Parameter 'workstationEventsDto')"),
    );
    expect(await world.ws.invoke('HwVaultLicenseApplied', world.serial, randomUUID())).toEqual(
      failure(1001, 'Hardware Vault licenses not found.'),
    );
    const noFirmware = await world.dto(HwVaultConnectionState.Online, { firmwareVersion: null });
    expect(await world.ws.invoke('UpdateHwVaultProperties', noFirmware, false)).toEqual(
      failure(
        1001,
        'An error occurred while updating the entries. See the inner exception for details.',
      ),
    );
  },

  '3.22': notAnswered([1026, 1027, 1028]),

  '3.23': async () => {
    const world = await hubWorld();
    await expectBindingFailure(world.ws.invoke('AuthHwVault'), 'AuthHwVault');
    await expectBindingFailure(world.ws.invoke('AuthHwVault', true), 'AuthHwVault');
    await expectBindingFailure(
      world.ws.invoke('UpdateHwVaultProperties', await world.dto(), 'no'),
      'UpdateHwVaultProperties',
    );
    await expect(world.ws.invoke('NoSuchMethod')).rejects.toThrow(
      "Failed to invoke 'NoSuchMethod' due to an error on the server. HubException: Method does not exist.",
    );
    // A fire-and-forget call that fails to bind gets no answer at all, as on ASP.NET.
    await world.ws.appHub.send('AuthHwVault', true);
    expect((await world.ws.invoke('GetHwVaultInfoBySerialNo', world.serial)).code).toBe(0);
  },
};

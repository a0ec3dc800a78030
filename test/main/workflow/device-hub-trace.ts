// What went between the server and a key through the companion's DeviceHub relay, read from
// the relay's own events (steps and sizes, never bytes). The lifecycle tests use it to show
// that each status change ran over HES's DeviceHub contract: the server's set-up (reset,
// verify, and for a Key 3 its root-key certificate) and then the server's own messages.
import { expect } from 'vitest';
import type { RelayStep } from '../../../main/hes/device-hub-relay';
import type { CompanionRig, KeyFamily } from './companion-rig';

/** A point in the relay's events: what happens after it is read with `since`. */
export type HubMark = number;

export const markHub = (c: CompanionRig): HubMark => c.deviceHub.length;

/** The relay's events for one key since a mark, named as the relay names them. */
export function hubSince(c: CompanionRig, serial: string, mark: HubMark): string[] {
  return c.deviceHub
    .slice(mark)
    .filter((e) => e.serialNo === serial)
    .map((e) => (e.type === 'relayed' ? e.step : e.type));
}

/** The set-up HES runs on a new channel before its first message (DeviceRemoteConnections). */
export function setUpSteps(family: KeyFamily): readonly RelayStep[] {
  return family === 'key3' ? ['reset', 'verify', 'rootKey'] : ['reset', 'verify'];
}

/**
 * Since `mark`, the server reached the key through the relay and nothing failed: messages
 * were carried, and a channel opened here began with HES's set-up.
 */
export function expectThroughDeviceHub(
  c: CompanionRig,
  serial: string,
  mark: HubMark,
  family: KeyFamily,
): string[] {
  const trace = hubSince(c, serial, mark);
  expect(trace, 'nothing failed on the device hub').not.toContain('relayFailed');
  expect(trace).not.toContain('channelFailed');
  expect(trace, 'the server sent the key its messages').toContain('message');
  for (
    let at = trace.indexOf('channelOpened');
    at >= 0;
    at = trace.indexOf('channelOpened', at + 1)
  ) {
    const setUp = setUpSteps(family);
    expect(trace.slice(at + 1, at + 1 + setUp.length), 'the set-up of a new channel').toEqual(
      setUp,
    );
  }
  return trace;
}

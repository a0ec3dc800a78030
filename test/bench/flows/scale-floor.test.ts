// The floor HES sets for N keys together: one AppHub invocation at a time, so N keys
// need N times what one key's required calls hold the connection, plus what cannot
// overlap; and what the wire says the AppHub was held for.
import { describe, expect, it } from 'vitest';
import { hubHeld, keyToOnline, scaleFloor } from '../../../bench/flows/scale-floor';
import type { LinkCosts } from '../../../bench/flows/sequence-model';
import type { WireEvent } from '../../../bench/net/signalr-tap';

const costs: LinkCosts = {
  discoverMs: 0,
  openMs: 4,
  keyMs: { GetInfo: 6, VerifyChannel: 5, RemoteCommand: 10, UnlockWithCode: 8 },
  rttMs: 40,
  serverMs: 3,
};

describe('the scale floor', () => {
  it("holds the AppHub for each call's server time and each status update's remote work", () => {
    const floor = scaleFloor(1, costs);
    // Calls: Initializing, licences, two status updates, Online: 5 × 3 ms.
    // Inside the first status update: the hub (3½ RTT + 3 × 3) and three relays
    // (VerifyChannel, GetState, Link: RTT + 5, + 10, + 10); inside the second, two
    // (GetState, Access: RTT + 10 each). Each relay's answer costs the server its time
    // too (no answer measured here: a plain call's 3 ms).
    const calls = 5 * 3;
    const hub = 3.5 * 40 + 3 * 3;
    const relays = 45 + 50 + 50 + 50 + 50 + 5 * 3;
    expect(floor.heldPerKeyMs).toBe(calls + hub + relays);
    // Before the first call reaches the server: the open, the GetInfo, ½ RTT.
    expect(floor.headMs).toBe(4 + 6 + 20);
    expect(floor.tailMs).toBe(20);
  });

  it('is one key alone for one key, and N × held plus head and tail for many', () => {
    const one = scaleFloor(1, costs);
    expect(one.floorMs).toBe(one.chainMs);
    const fifty = scaleFloor(50, costs);
    expect(fifty.floorMs).toBe(fifty.headMs + 50 * fifty.heldPerKeyMs + fifty.tailMs);
    expect(fifty.floorMs).toBeGreaterThan(50 * one.heldPerKeyMs);
  });

  it("one key's chain is its minimum from switch-on to Online", () => {
    const steps = keyToOnline(0);
    expect(steps.at(-1)?.step).toMatchObject({ kind: 'call', target: 'UpdateHwVaultProperties' });
    expect(steps.filter((s) => s.step.kind === 'hub')).toHaveLength(1);
  });
});

describe('what the AppHub was held for, from the wire', () => {
  let id = 0;
  const call = (connection: number, at: number, done: number, hub = 'appHub'): WireEvent[] => {
    const invocationId = String(++id);
    return [
      { at, connection, hub, dir: 'up', kind: 'invocation', target: 'X', invocationId, bytes: 1 },
      { at: done, connection, hub, dir: 'down', kind: 'completion', invocationId, bytes: 1 },
    ];
  };

  it('counts from arrival at the server (½ RTT after the proxy saw it) to the completion', () => {
    // Sent at 0 and 100, arriving at 20 and 120, completed at 60 and 150; a gap of 60 ms.
    const wire = [...call(1, 0, 60), ...call(1, 100, 150), ...call(2, 0, 500, 'deviceHub')];
    const held = hubHeld(wire, 'appHub', 20);
    expect(held).toMatchObject({ heldMs: 40 + 30, spanMs: 130, idleMs: 60, calls: 2 });
  });

  it('counts overlapping holds once, and leaves out calls sent after the end', () => {
    const wire = [...call(1, 0, 100), ...call(1, 10, 120), ...call(1, 300, 400)];
    expect(hubHeld(wire, 'appHub', 20, 200)).toMatchObject({ heldMs: 100, idleMs: 0 });
  });
});

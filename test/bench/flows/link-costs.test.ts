// How the minimum is priced: discovery on the link model (never the companion's
// measured reaction), key steps with the medians of the same flow first.
import { describe, expect, it } from 'vitest';
import { discoverModelMs, linkCosts, sampleCosts } from '../../../bench/flows/link-costs';
import { minimumSteps } from '../../../bench/flows/protocol-minimum';
import { flowCosts, sequenceMs, sequenceTimes, stepMs } from '../../../bench/flows/sequence-model';
import { ADVERTISING_INTERVAL_MS, profile } from '../../../bench/link-profiles';
import { exchange, sample } from './flow-samples';

describe('discovery on the link model', () => {
  it('is none on USB, whatever the companion took to open the key', () => {
    // The companion opened the key 500 ms after it was plugged in (a debounce of ours).
    const costs = linkCosts(
      [sample('appearsOnline', [exchange('open', 500, 4), exchange('GetInfo', 504, 5)])],
      40,
      profile('usb-fs'),
    );
    expect(costs.discoverMs).toBe(0);
    expect(costs.measuredDiscoverMs).toBe(500);
    const [first] = sequenceTimes(minimumSteps('appearsOnline', 0), costs, 'appearsOnline');
    expect(first?.step.kind).toBe('discover');
    expect(first?.endMs).toBe(0);
  });

  it('is half an advertising interval on BLE: the mean wait for the next advertisement', () => {
    expect(discoverModelMs({ link: 'ble' })).toBe(ADVERTISING_INTERVAL_MS / 2);
    expect(discoverModelMs({ link: 'ble' }, 100)).toBe(50);
    expect(linkCosts([], 40, profile('ble-23')).discoverMs).toBe(ADVERTISING_INTERVAL_MS / 2);
    expect(linkCosts([], 40, profile('key3-ble-23')).discoverMs).toBe(ADVERTISING_INTERVAL_MS / 2);
  });
});

describe('key steps priced in the same flow', () => {
  const costs = linkCosts(
    [
      // A wrong code costs the key's whole check; a right one less here.
      sample('wrongCode', [exchange('UnlockWithCode', 0, 50)]),
      sample('codeActive', [exchange('UnlockWithCode', 0, 10), exchange('RemoteCommand', 20, 8)]),
      sample('reservedPrompt', [exchange('GetInfo', 0, 6), exchange('RemoteCommand', 10, 30)]),
      sample('wrongPin', [exchange('EnterPin', 0, 9), exchange('EnterPin', 0, 500, false)]),
    ],
    40,
    profile('usb-fs'),
  );

  it("a right code's UnlockWithCode is priced as measured after a right code", () => {
    expect(sequenceMs(minimumSteps('wrongCode', 0), costs, 'wrongCode')).toBe(50);
    const active = minimumSteps('codeActive', 0);
    const priced = flowCosts(costs, 'codeActive');
    expect(stepMs(active[0]!, priced)).toBe(10);
    // Its relays are this flow's RemoteCommands: RTT + 8, not the prompt's 30.
    expect(stepMs(active.at(-1)!, priced)).toBe(48);
  });

  it('falls back to all flows for a command the flow did not make', () => {
    // The prompt's minimum ends with a GetInfo; codeActive made none: all flows' median.
    const lastRead = minimumSteps('reservedPrompt', 0).at(-1)!;
    expect(lastRead).toMatchObject({ kind: 'key', command: 'GetInfo' });
    expect(stepMs(lastRead, flowCosts(costs, 'codeActive'))).toBe(6);
  });

  it('a failed exchange prices nothing', () => {
    expect(costs.keyMsByFlow?.wrongPin?.['EnterPin']).toBe(9);
  });

  it('without a flow, every step is priced over all flows', () => {
    expect(costs.keyMs['UnlockWithCode']).toBe(30); // the median of 50 and 10
    expect(sequenceMs(minimumSteps('wrongCode', 0), costs)).toBe(30);
  });
});

describe("one run's own costs", () => {
  const runs = [
    sample('wrongCode', [exchange('UnlockWithCode', 0, 6)], 7),
    sample('wrongCode', [exchange('UnlockWithCode', 0, 9)], 10),
    sample('pinPrompt', [exchange('open', 0, 3), exchange('GetInfo', 3, 4)], 50),
  ];
  const link = linkCosts(runs, 40, profile('usb-fs'));

  it('prices the steps the run measured with its own times', () => {
    const slow = sampleCosts(runs[1]!, link, 40, profile('usb-fs'));
    expect(sequenceMs(minimumSteps('wrongCode', 0), slow, 'wrongCode')).toBe(9);
    const fast = sampleCosts(runs[0]!, link, 40, profile('usb-fs'));
    expect(sequenceMs(minimumSteps('wrongCode', 0), fast, 'wrongCode')).toBe(6);
  });

  it("falls back to the link's medians for what the run did not measure", () => {
    const own = sampleCosts(runs[0]!, link, 40, profile('usb-fs'));
    // No open, no read and no server call in a wrong code's run: the link's.
    expect(own.openMs).toBe(3);
    expect(own.keyMs['GetInfo']).toBe(4);
    expect(own.serverMs).toBe(link.serverMs);
  });
});

describe('a Key 3 on its packet model', () => {
  it('a wrong PIN: ENTERPIN on an idle link, then its GETINFO behind the STATUS and COMMIT', () => {
    const costs = linkCosts([], 40, profile('key3-ble-23'));
    const times = sequenceTimes(minimumSteps('wrongPin', 0, 'key3'), costs, 'wrongPin');
    const [enterPin, getInfo] = times;
    // ENTERPIN: 2↑, the key's COMMIT, 2↓ on an idle 30 ms link: 15 + 4 × 30.
    expect(enterPin?.endMs).toBe(135);
    // GETINFO right after another key step (2↑ 6↓ + its COMMIT) waits for the slots left behind.
    expect(getInfo!.endMs - enterPin!.endMs).toBeGreaterThan(255);
  });
});

describe("the server's work on a relayed answer", () => {
  it('is priced from the stand-in as measured on the wire, before its next command', () => {
    const wire = [
      {
        at: 100,
        connection: 3,
        hub: 'deviceHub',
        dir: 'up',
        kind: 'invocation',
        target: 'VerifyCommandResponse',
        invocationId: '0',
        bytes: 80,
      },
      {
        at: 150,
        connection: 3,
        hub: 'deviceHub',
        dir: 'down',
        kind: 'completion',
        invocationId: '0',
        bytes: 40,
      },
    ] as const;
    const costs = linkCosts(
      [{ ...sample('reservedPrompt', [exchange('VerifyChannel', 90, 6)]), wire: [...wire] }],
      40,
      profile('usb-fs'),
    );
    // Its completion left the server 50 ms after the answer reached the proxy: 20 ms on the way up.
    expect(costs.responseMs).toEqual({ VerifyCommandResponse: 30 });
    const verify = minimumSteps('reservedPrompt', 0).find(
      (s) => s.kind === 'relay' && s.what === 'SendVerifyCommand',
    );
    expect(verify && stepMs(verify, costs)).toBe(40 + 6 + 30);
  });
});

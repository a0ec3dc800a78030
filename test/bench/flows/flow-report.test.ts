// Each figure carries its key round trips (ours, the minimum's, the Hideez Client's),
// and the report has a table per link profile.
import { describe, expect, it } from 'vitest';
import { countFlow } from '../../../bench/flows/counts';
import { flowReport } from '../../../bench/flows/flow-report';
import { exchange, sample } from './flow-samples';

describe('the flow report', () => {
  const report = flowReport({
    samples: [
      sample('wrongPin', [exchange('EnterPin', 1, 8), exchange('GetInfo', 9, 6)], 16),
      sample('wrongPin', [exchange('EnterPin', 1, 8), exchange('GetInfo', 9, 6)], 17),
      // The second read comes after the state was shown: not counted.
      sample('pinOnline', [exchange('EnterPin', 1, 12), exchange('GetInfo', 200, 6)], 60),
      sample('pinPrompt', [exchange('GetInfo', 1, 6)], 55, 0, 1.75),
    ],
    bridge: { messages: 1, inboundUs: 3, outboundUs: 3, meanUs: 3 },
    serverRttMs: 40,
  });

  it('gives each figure its key round trips: ours, the minimum, the Hideez Client', () => {
    const wrong = report.figures.find((f) => f.flow === 'wrongPin');
    expect(wrong).toMatchObject({
      keyRoundTrips: 2,
      keyRoundTripsRange: '2',
      minimumKeyRoundTrips: 1,
      hideezKeyRoundTrips: 2,
    });
    // EnterPin as measured in this flow: 8 ms.
    expect(wrong?.minimumMs).toBe(8);
    const online = report.figures.find((f) => f.flow === 'pinOnline');
    expect(online).toMatchObject({ keyRoundTrips: 1, minimumKeyRoundTrips: 1 });
  });

  it("sets each run against its own minimum, so the key's spread between runs is not ours", () => {
    // The key took 6, 9 and 12 ms. Two runs added 0.5 ms; the middle one, 3 ms. The medians
    // (12 ms against 9) would come from different runs and call it 1.33; each run against its
    // own key time gives 1.08, 1.33 and 1.04, and the typical run is the median, 1.08.
    const paired = flowReport({
      samples: [
        sample('wrongCode', [exchange('UnlockWithCode', 1, 6)], 6.5),
        sample('wrongCode', [exchange('UnlockWithCode', 1, 9)], 12),
        sample('wrongCode', [exchange('UnlockWithCode', 1, 12)], 12.5),
      ],
      bridge: { messages: 1, inboundUs: 3, outboundUs: 3, meanUs: 3 },
      serverRttMs: 40,
    }).figures.find((f) => f.flow === 'wrongCode');
    expect(paired?.minimumMs).toBe(9);
    expect(paired?.latency.median).toBe(12);
    expect(paired?.ratio).toBeCloseTo(6.5 / 6);
    const wrong = report.figures.find((f) => f.flow === 'wrongPin');
    // Each wrong PIN against its own EnterPin (8 ms): 16 / 8 and 17 / 8.
    expect(wrong?.ratio).toBeCloseTo(16.5 / 8);
  });

  it('has a table per link profile, and the minimum step by step for it', () => {
    const titles = report.tables.map((t) => t.title);
    expect(titles.filter((t) => t.startsWith('2a. USB HID'))).toHaveLength(1);
    expect(titles.some((t) => t.startsWith('3d. USB HID'))).toBe(true);
    const perProfile = report.tables.find((t) => t.title.startsWith('2a.'));
    expect(perProfile?.rows.find((r) => r[0]?.startsWith('wrong PIN'))?.[5]).toBe('2 / 1 / 2');
  });

  it("says what the flows are timed from, and how long the bench's part before it took", () => {
    const perProfile = report.tables.find((t) => t.title.startsWith('2a.'));
    const note = perProfile?.notes?.find((n) => n.startsWith('The trigger'));
    // The switch-on's lead (the virtual key's boot) apart from the submits' (the crossing).
    expect(note).toContain("the virtual key's boot before it, median 1.75 ms");
    expect(note).toContain("the bench's crossing into it, median 0.20 ms");
  });

  it('counts a key exchange where its answer came: one sent just before the state was shown kept nobody waiting', () => {
    const counts = countFlow(
      sample('pinOnline', [exchange('EnterPin', 1, 8), exchange('GetInfo', 15, 6)], 16),
    );
    expect(counts.shown.byCommand).toEqual({ EnterPin: 1 });
    expect(counts.after.byCommand).toEqual({ GetInfo: 1 });
  });
});

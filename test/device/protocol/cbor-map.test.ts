// The message maps' encoder writes the profile's values itself (cbor-map.ts): its bytes
// must be cbor2's, value for value, for everything a message can hold, and it must
// still hand anything else to cbor2 unchanged.
import { encode } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCborMap, encodeCborMap } from '../../../device/protocol/cbor-map';

/** What a message map holds: unsigned integers, strings, bytes, booleans, nested maps. */
const leaf = fc.oneof(
  fc.nat(),
  fc.maxSafeNat(),
  fc.constantFrom(23, 24, 255, 256, 65_535, 65_536, 0xffff_ffff, 0x1_0000_0000),
  fc.boolean(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.uint8Array({ maxLength: 300 }),
);
const nested = fc
  .uniqueArray(fc.tuple(fc.nat({ max: 40 }), leaf), { selector: ([k]) => k, maxLength: 6 })
  .map((entries) => new Map(entries));
const fields = fc.array(fc.tuple(fc.nat({ max: 1_000 }), fc.oneof(leaf, nested)), {
  maxLength: 12,
});

/** What encodeCborMap always meant: sorted by key, the last value of a key kept. */
function viaCbor2(list: ReadonlyArray<readonly [number, unknown]>): Uint8Array {
  const map = new Map<number, unknown>();
  for (const [key, value] of [...list].sort((a, b) => a[0] - b[0])) {
    if (value !== undefined) map.set(key, value);
  }
  return encode(map);
}

describe('the message-map encoder', () => {
  it("writes cbor2's bytes for every value a message holds, and they decode back", () => {
    fc.assert(
      fc.property(fields, (list) => {
        const bytes = encodeCborMap(list);
        expect(bytes).toEqual(viaCbor2(list));
        const decoded = decodeCborMap(bytes, 'test map');
        for (const [key] of list) expect(decoded.has(key)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves undefined fields out, and hands other values to cbor2', () => {
    const list: [number, unknown][] = [
      [3, undefined],
      [2, -5],
      [1, [1, 'a']],
      [4, 1.5],
    ];
    expect(encodeCborMap(list)).toEqual(viaCbor2(list));
    expect(encodeCborMap([])).toEqual(Uint8Array.of(0xa0));
  });
});

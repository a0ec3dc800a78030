// The three requirement bytes of ACCESS (master key, PIN, button: reference §3.1).
// HES's access profile has three flags for each (bond, connect, channel); how the
// SDK packs them into a byte is not in the reference, so this is our reading [inf]:
// bit 0 bond, bit 1 connect, bit 2 channel. The stand-in (host side) and the
// virtual Key 3 (key side) both use this one mapping; a real key's trace tells.

export interface Requirement {
  readonly bond: boolean;
  readonly connect: boolean;
  readonly channel: boolean;
}

const BOND = 0x01;
const CONNECT = 0x02;
const CHANNEL = 0x04;

export const requirementByte = (r: Requirement): number =>
  (r.bond ? BOND : 0) | (r.connect ? CONNECT : 0) | (r.channel ? CHANNEL : 0);

export const requirementOf = (byte: number): Requirement => ({
  bond: (byte & BOND) !== 0,
  connect: (byte & CONNECT) !== 0,
  channel: (byte & CHANNEL) !== 0,
});

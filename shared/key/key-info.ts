// What a key reports about itself (the GetInfo reply, docs/protocol.md §5.1),
// decoded. The workflow, the status model and the HES DTO all read this shape.

/** Access-level bits as the key reports them (the Hideez AccessLevel bit values). */
export const AccessFlagBit = {
  linkRequired: 0x01,
  newPinRequired: 0x02,
  masterKeyRequired: 0x04,
  pinRequired: 0x08,
  buttonRequired: 0x10,
  locked: 0x80,
} as const;
export type AccessFlagName = keyof typeof AccessFlagBit;
export type AccessFlags = Readonly<Record<AccessFlagName, boolean>>;

export const ACCESS_FLAG_MASK = Object.values(AccessFlagBit).reduce((mask, bit) => mask | bit, 0);

export function accessFlagsFromBits(bits: number): AccessFlags {
  const flags = {} as Record<AccessFlagName, boolean>;
  for (const [name, bit] of Object.entries(AccessFlagBit) as [AccessFlagName, number][]) {
    flags[name] = (bits & bit) !== 0;
  }
  return flags;
}

export function accessFlagsToBits(flags: AccessFlags): number {
  let bits = 0;
  for (const [name, bit] of Object.entries(AccessFlagBit) as [AccessFlagName, number][]) {
    if (flags[name]) bits |= bit;
  }
  return bits;
}

/** Why the key is locked by an activation code. */
export const CodeLockReason = {
  None: 0,
  /** The server linked a blank key (Link): first activation of a Reserved key. */
  FirstActivation: 1,
  /** The server re-locked a linked key (LockDeviceCode): Suspended, or re-activation after Locked. */
  Suspension: 2,
} as const;
export type CodeLockReason = (typeof CodeLockReason)[keyof typeof CodeLockReason];

export interface KeyInfo {
  readonly serialNo: string;
  /** BLE MAC as "AA:BB:CC:DD:EE:FF". */
  readonly mac: string;
  readonly model: string;
  /** "major.minor.patch" */
  readonly firmwareVersion: string;
  readonly bootloaderVersion: string;
  /** In bootloader mode the key refuses every command but GetInfo and Ping. */
  readonly bootloaderMode: boolean;
  /** 0–100 % */
  readonly battery: number;
  readonly storageTotalSize: number;
  readonly storageFreeSize: number;
  /** Unix seconds of the last storage change (HES `storageTimestamp`). */
  readonly storageTimestamp: number;
  readonly access: AccessFlags;
  readonly lockedByCode: boolean;
  readonly lockedByPin: boolean;
  /** Locked by code and unlock attempts remain. */
  readonly canUnlock: boolean;
  readonly unlockAttemptsRemain: number;
  readonly pinAttemptsRemain: number;
  readonly minPinLength: number;
  readonly codeLockReason: CodeLockReason;
  /** Largest message the key accepts, in bytes. */
  readonly maxMessageSize: number;
  /**
   * Whether the key holds a PIN. Absent when the key does not say (a Hideez Key 3's
   * GETINFO has no such field): the access flags tell it only while the profile asks
   * for a PIN (newPinRequired), so a key whose profile does not is unknown.
   */
  readonly pinSet?: boolean;
}

/**
 * The key after it took the activation code, as its OK says: unlocked, no code left to take,
 * its access no longer "locked". What else the unlock changed (the access the profile asks
 * for) comes with the key's next read.
 */
export function afterCodeAccepted(info: KeyInfo): KeyInfo {
  return {
    ...info,
    lockedByCode: false,
    canUnlock: false,
    access: { ...info.access, locked: false },
  };
}

// The Key 3's 16-bit message codes (reference §3.1), the reply each request
// expects, and the constants of the storage and bootloader commands, which this
// layer does not frame (they replace the 16-bit code with a 1-byte opcode).

export const Key3Command = {
  /** H→K plaintext: ch ‖ hostEphemeralPub65 ‖ hostNonce8. */
  VERIFY: 0xa000,
  /** K→H plaintext: keyEphemeralPub65 ‖ keyNonce8 ‖ signature64. */
  VERIFYREPLY: 0xa001,
  /** The generic "ok" reply. */
  SUCCESS: 0xa002,
  /** No builder in the vendor SDK; payload unknown. */
  CLOSECHANNEL: 0xa003,
  GETINFO: 0xa004,
  /** Reply to GETINFO: the info block (info-block.ts). */
  INFO: 0xa005,
  CHECKPASSPHRASE: 0xa007,
  LINK: 0xa008,
  ACCESS: 0xa009,
  SETPIN: 0xa00a,
  ENTERPIN: 0xa00b,
  CONFIRM: 0xa00c,
  /** Opaque bytes supplied by HES. */
  UNLOCK: 0xa00e,
  WIPE: 0xa00f,
  /** The first encrypted request of a session. */
  GETROOTKEY: 0xa012,
  /** Reply to GETROOTKEY: the root-key certificate. */
  ROOTKEY: 0xa013,
  GETOTP: 0xa014,
  /** Reply to GETOTP (name ours; the vendor's is not known). */
  OTPREPLY: 0xa015,
  LOADLICENSE: 0xa01a,
  QUERYLICENSE: 0xa01b,
  /** Reply to QUERYLICENSE (name ours). */
  LICENSEREPLY: 0xa01c,
  PING: 0xa01e,
  PONG: 0xa01f,
  /** Only in May-2019 SDK builds: interval:2 ‖ duration:2. */
  BOOST: 0xa020,
  LOCKDEVICECODE: 0xa021,
  UNLOCKDEVICECODE: 0xa022,
  FETCHLOG: 0xa0fb,
  CLEARLOG: 0xa0fc,
  /** Reply to FETCHLOG (name ours). */
  LOGREPLY: 0xa0fd,
  BOOT: 0xa0fe,
} as const;
export type Key3Command = (typeof Key3Command)[keyof typeof Key3Command];

const COMMANDS: ReadonlySet<number> = new Set(Object.values(Key3Command));
export const isKey3Command = (code: number): code is Key3Command => COMMANDS.has(code);

const REPLY_CODES: ReadonlyMap<number, Key3Command> = new Map<number, Key3Command>([
  [Key3Command.VERIFY, Key3Command.VERIFYREPLY],
  [Key3Command.GETINFO, Key3Command.INFO],
  [Key3Command.GETROOTKEY, Key3Command.ROOTKEY],
  [Key3Command.GETOTP, Key3Command.OTPREPLY],
  [Key3Command.QUERYLICENSE, Key3Command.LICENSEREPLY],
  [Key3Command.PING, Key3Command.PONG],
  [Key3Command.FETCHLOG, Key3Command.LOGREPLY],
]);

/** The success reply code a request expects: its own reply, else SUCCESS. */
export const replyCodeFor = (command: number): Key3Command =>
  REPLY_CODES.get(command) ?? Key3Command.SUCCESS;

/** Storage commands: a 1-byte opcode and a table byte in place of the 16-bit code. */
export const Key3StorageOpcode = {
  DS_READ: 0xa4,
  DS_WRITE: 0xa5,
  DS_DELETE: 0xa6,
  DS_ENUM: 0xa7,
  DS_LOOKUP: 0xa8,
  DS_SUBSTR: 0xa9,
  DS_KEYLIST: 0xae,
  DS_REPLY: 0xaf,
} as const;

/** Storage tables (bond tables are 1–3). */
export const Key3StorageTable = {
  Config: 0x21,
  Passwords: 0x22,
  Accounts: 0x23,
  Logins: 0x24,
  OtpSecrets: 0x25,
  Id: 0x26,
  Urls: 0x27,
  Flags: 0x28,
  Timestamp: 0x29,
  WindowsApps: 0x32,
} as const;

/** 16-bit storage record flags. */
export const Key3RecordFlag = {
  HAS_OTP: 0x01,
  IS_USER_ACCOUNT: 0x02,
  IS_READ_ONLY: 0x04,
  IS_HIDDEN: 0x08,
  IS_UNLOCK_ACCOUNT: 0x10,
  IS_DELETED: 0x20,
} as const;

/** Bootloader commands (20 bytes raw, `op ‖ 00 ‖ 0000 ‖ args LE`), not framed. */
export const Key3BootloaderOp = {
  VERSION: 0x00,
  ERASE: 0x01,
  INIT: 0x02,
  XFER: 0x03,
  COMMIT: 0x04,
  APPLY: 0x05,
  DISCONNECT: 0x08,
  VERSION2: 0x0a,
} as const;

/** Bootloader reply byte 1: `A5` ok, else one of these. */
export const Key3BootloaderResult = {
  Ok: 0xa5,
  LowBattery: 0xe1,
  EraseRequired: 0xe2,
  WriteError: 0xe3,
  Partial: 0xe4,
  BadSignature: 0xe5,
  InvalidAddress: 0xe6,
  CrcError: 0xe7,
  AlreadySet: 0xe8,
  Hardware: 0xe9,
  WrongParameter: 0xea,
} as const;

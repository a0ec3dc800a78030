// What each Hideez Key 3 message costs on its link, in packets (docs/key3.md): every
// message is header ‖ payload padded to whole 16-byte blocks, sealed requests add a
// 16-byte trailer (CMAC[0..14] ‖ counter) and sealed replies a 16-byte MAC, and each
// 16 bytes travel in one 20-byte data packet. The sizes come from the product's own
// codecs and field constants, so this table cannot drift from what is sent.
//
// Around each message the link carries more packets that no client can leave out:
// the key acknowledges a request with COMMIT before it answers (the virtual Key 3
// does; reference §2.2), the host acknowledges the reply with COMMIT (the vendor SDK
// does), and the key sends STATUS after answering an encrypted request (the virtual
// Key 3 does, so the host hears of changed attempts and locks without asking).
import { SIGNATURE_BYTES } from '../../device/key3/crypto/ecdsa';
import { MAC_BYTES } from '../../device/key3/crypto/primitives';
import { TRAILER_BYTES } from '../../device/key3/crypto/session';
import {
  ACCESS_PAYLOAD_BYTES,
  CODE_FIELD_BYTES,
  MASTER_KEY_BYTES,
  NONCE_BYTES,
  PIN_FIELD_BYTES,
  PUBLIC_KEY_BYTES,
} from '../../device/key3/protocol/fields';
import { INFO_BLOCK_BYTES } from '../../device/key3/protocol/info-block';
import { MESSAGE_HEADER_BYTES, paddedLength } from '../../device/key3/protocol/message';
import { PACKET_BODY_SIZE } from '../../device/key3/protocol/packets';

export interface Key3Message {
  /** Control packets the host sends first, each confirmed sent before the next (RESET). */
  readonly before: number;
  /** Data packets of the request, written without response, one after another. */
  readonly up: number;
  /** Data packets of the reply. */
  readonly down: number;
  /** The key sends STATUS after its reply. */
  readonly status: boolean;
}

const packets = (payloadBytes: number, trailerBytes: number): number =>
  (paddedLength(MESSAGE_HEADER_BYTES + payloadBytes) + trailerBytes) / PACKET_BODY_SIZE;
const plain = (payloadBytes: number): number => packets(payloadBytes, 0);
const sealedRequest = (payloadBytes: number): number => packets(payloadBytes, TRAILER_BYTES);
const sealedReply = (payloadBytes: number): number => packets(payloadBytes, MAC_BYTES);

/** A virtual Key 3's certificate names it by its serial number (16 characters). */
const DEV_INFO_BYTES = 16;
/** byte 0 ‖ root public key ‖ L ‖ device info ‖ vendor signature (reference §4.4). */
const CERTIFICATE_BYTES = 1 + PUBLIC_KEY_BYTES + 1 + DEV_INFO_BYTES + SIGNATURE_BYTES;
/** QUERYLICENSE's record is at least 128 bytes (reference §3.1). */
const LICENSE_RECORD_BYTES = 128;

const encrypted = (requestPayload: number, replyPayload: number): Key3Message => ({
  before: 0,
  up: sealedRequest(requestPayload),
  down: sealedReply(replyPayload),
  status: true,
});

/** By command; a message relayed for the server is the same message on its channel. */
export const KEY3_MESSAGES: Readonly<Record<string, Key3Message>> = {
  /** RESET, then ch ‖ host key ‖ nonce in plain; VERIFYREPLY: key ‖ nonce ‖ signature. */
  VERIFY: {
    before: 1,
    up: plain(1 + PUBLIC_KEY_BYTES + NONCE_BYTES),
    down: plain(PUBLIC_KEY_BYTES + NONCE_BYTES + SIGNATURE_BYTES),
    status: false,
  },
  GETROOTKEY: encrypted(0, CERTIFICATE_BYTES),
  GETINFO: encrypted(0, INFO_BLOCK_BYTES),
  /** The code padded to 8; A0 02 or E1 xx, one block either way. */
  UNLOCKDEVICECODE: encrypted(CODE_FIELD_BYTES, 0),
  /** The PIN padded to 8; A0 02 or E1 xx. */
  ENTERPIN: encrypted(PIN_FIELD_BYTES, 0),
  /** New ‖ old PIN, each padded to 8. */
  SETPIN: encrypted(2 * PIN_FIELD_BYTES, 0),
  LINK: encrypted(MASTER_KEY_BYTES + CODE_FIELD_BYTES + 1, 0),
  ACCESS: encrypted(ACCESS_PAYLOAD_BYTES, 0),
  QUERYLICENSE: encrypted(1, LICENSE_RECORD_BYTES),
};

/**
 * The GATT set-up before any packet: service and characteristics discovered, the
 * info characteristic read, notifications on, `02 01` written with response. Five
 * requests, each answered within one packet slot of the link (connecting itself
 * takes none in the virtual adapter). The key then wakes up and sends STATUS.
 */
export const KEY3_GATT_REQUESTS = 5;

// One encrypted request and its reply on a Key 3 channel, for any host: the
// companion's own channel 1 and the server's channel 4 (the HES stand-in) both
// seal the request with their session, move it however they move bytes, then
// authenticate and decrypt the reply and check it answers that request.
import type { Key3Session } from '../crypto/session';
import { replyCodeFor } from '../protocol/command-codes';
import { decodeReply, type Key3Reply } from '../protocol/message';

/** The 16-bit command code of a plain request (its first two bytes). */
export const commandOf = (plain: Uint8Array): number => ((plain[0] ?? 0) << 8) | (plain[1] ?? 0);

/**
 * Seals `plain`, hands it to `exchange`, opens the reply. Throws the session's
 * ProtocolError (BadSeal, Replay) or the message layer's (UnexpectedReply, Truncated).
 */
export async function sealedCall(
  session: Key3Session,
  plain: Uint8Array,
  exchange: (sealed: Uint8Array) => Promise<Uint8Array>,
): Promise<Key3Reply> {
  const reply = await exchange(session.sealRequest(plain));
  return decodeReply(session.openReply(reply), replyCodeFor(commandOf(plain)));
}

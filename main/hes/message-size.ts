// The hubs' 32 KB incoming-message limit (hes-contract.md §4.1): a larger message
// makes the server close the whole connection, so we refuse it before sending.
import { MAX_HUB_MESSAGE_BYTES } from '../../shared/hes/dto';
import { hesError } from './hes-error';

/** A generous invocation id: the SDK numbers invocations, we never send more than 2^53. */
const ENVELOPE = { type: 1, invocationId: '9007199254740991', target: '' };

/** UTF-8 size of the JSON invocation record for `target(args)`, with its 0x1E. */
export function invocationBytes(target: string, args: readonly unknown[]): number {
  const json = JSON.stringify({ ...ENVELOPE, target, arguments: args });
  return Buffer.byteLength(json, 'utf8') + 1;
}

export function assertMessageSize(
  target: string,
  args: readonly unknown[],
  limit: number = MAX_HUB_MESSAGE_BYTES,
): void {
  const bytes = invocationBytes(target, args);
  if (bytes > limit) throw hesError.tooLarge(target, bytes, limit);
}

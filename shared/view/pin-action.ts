// Which PIN action an online key's card offers. Set PIN only when the companion knows the
// key holds no PIN; Change PIN when it holds one, and when the key does not say (a Hideez
// Key 3 whose profile asks for no PIN): a change never costs an attempt on a key without
// a PIN (it answers "no PIN yet" and the card then offers Set PIN), whereas a first PIN
// sent to a key that has one is a guess at how its firmware reads an empty current PIN.
import type { KeySnapshot } from '../ipc/snapshot';

export type PinAction = 'setPin' | 'changePin';

export function pinActionOf(
  key: Pick<KeySnapshot, 'connection' | 'step' | 'pin'>,
): PinAction | undefined {
  if (key.connection !== 'connected' || key.step !== 'online') return undefined;
  return key.pin === 'notSet' ? 'setPin' : 'changePin';
}

// A text to show, as a catalogue key and its values, not as words: the store keeps
// these, and the components translate them in the language chosen at render time.
import type { TFunction } from 'i18next';
import { messageCount, type MessageKey, type MessageParams } from '../../shared/view/messages';
import type { ServerConnection } from '../../shared/view/server-state';
import { en } from './locales/en';

export interface MessageRef {
  readonly key: string;
  readonly params?: Readonly<Record<string, string | number>>;
  /** Values that are texts themselves (translated first). */
  readonly nested?: Readonly<Record<string, MessageRef>>;
  /** A technical code behind the text: for the collapsed details, never in the words. */
  readonly code?: string | number;
}

export function translate(t: TFunction, ref: MessageRef): string {
  const nested = Object.fromEntries(
    Object.entries(ref.nested ?? {}).map(([name, inner]) => [name, translate(t, inner)]),
  );
  return t(ref.key, { ...ref.params, ...nested });
}

/** A shared view message in words, its plural form chosen by its count (i18next `count`). */
export function viewText(t: TFunction, key: MessageKey, params: MessageParams): string {
  const count = messageCount(key, params);
  const options: Record<string, string | number | undefined> = { ...params };
  if (count !== undefined) options['count'] = count;
  return t(key, options);
}

/** The header's words for the server connection. */
export function serverStateRef(connection: ServerConnection): MessageRef {
  if (connection.state === 'offline') {
    return {
      key: 'server.state.offline',
      nested: { reason: { key: `server.offlineReason.${connection.reason}` } },
    };
  }
  return { key: `server.state.${connection.state}` };
}

/** An error answered by a command or carried by a stopped flow, in words. */
export function errorRef(error: { code: string | number; attemptsRemain?: number }): MessageRef {
  // A wrong PIN says how many attempts are left, in the language's plural form.
  if (error.code === 'WORKFLOW_PIN_WRONG' && error.attemptsRemain !== undefined)
    return { key: 'prompt.pin.wrong', params: { count: error.attemptsRemain } };
  // Codes go to the details, not into the sentence.
  if (typeof error.code === 'number') return { key: 'error.server', code: error.code };
  const key = `error.${error.code}`;
  return Object.hasOwn(en, key) ? { key } : { key: 'error.unknown', code: error.code };
}

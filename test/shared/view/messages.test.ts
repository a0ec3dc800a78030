import { describe, expect, it } from 'vitest';
import {
  COUNTED_MESSAGES,
  formatMessage,
  isMessageKey,
  MESSAGE_KEYS,
  messageCount,
  MESSAGES,
  messagePlaceholders,
} from '../../../shared/view/messages';
import { LOW_BATTERY_MESSAGE, NOTICE_MESSAGES, VIEW_KINDS } from '../../../shared/view/view-kind';

describe('the message catalogue', () => {
  it('every message key is used by a view kind or a notice, and every used key exists', () => {
    const used = new Set<string>([
      ...Object.values(VIEW_KINDS).flatMap((k) => [...k.messages]),
      ...Object.values(NOTICE_MESSAGES),
      LOW_BATTERY_MESSAGE,
    ]);
    expect([...used].sort()).toEqual([...MESSAGE_KEYS].sort());
  });

  it('fills placeholders and leaves a missing one visible', () => {
    expect(formatMessage('view.pinRequired', { attemptsRemain: 2 })).toBe(
      'Enter your key’s PIN. 2 attempts left.',
    );
    expect(formatMessage('view.pinRequired', { attemptsRemain: 1 })).toBe(
      'Enter your key’s PIN. 1 attempt left.',
    );
    expect(formatMessage('view.newPinRequired')).toContain('{minPinLength}');
    expect(messagePlaceholders('view.pinRequired').sort()).toEqual(['attemptsRemain']);
  });

  it('messages are non-empty English sentences', () => {
    for (const key of MESSAGE_KEYS) expect(MESSAGES[key]).toMatch(/^[A-Z].*[.…]$/);
  });

  it('no message words a count as "(s)" or shows a raw code', () => {
    for (const key of MESSAGE_KEYS) {
      expect(MESSAGES[key], key).not.toMatch(/\(s\)/);
      expect(messagePlaceholders(key), key).not.toContain('code');
    }
  });

  it('each counted message names a count its text uses, and has its singular', () => {
    for (const [key, counted] of Object.entries(COUNTED_MESSAGES)) {
      if (!counted || !isMessageKey(key)) throw new Error(key);
      expect(messagePlaceholders(key)).toContain(counted.count);
      expect(counted.one).toContain(`{${counted.count}}`);
      expect(messageCount(key, { [counted.count]: 3 })).toBe(3);
    }
    expect(messageCount('view.active', {})).toBeUndefined();
  });
});

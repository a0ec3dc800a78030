import { describe, expect, it } from 'vitest';
import {
  formatMessage,
  MESSAGE_KEYS,
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
      'Enter your key’s PIN. 2 attempt(s) left.',
    );
    expect(formatMessage('view.newPinRequired')).toContain('{minPinLength}');
    expect(messagePlaceholders('view.pinRequired').sort()).toEqual(['attemptsRemain']);
  });

  it('messages are non-empty English sentences', () => {
    for (const key of MESSAGE_KEYS) expect(MESSAGES[key]).toMatch(/^[A-Z].*[.…]$/);
  });
});

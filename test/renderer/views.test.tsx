// @vitest-environment jsdom
// Every view kind (and each of its messages) renders a card with its kind as data and
// its explanation from the catalogue, in every language, with no missing key or
// unfilled placeholder; every notice kind renders its title the same way. The
// fixtures are valid snapshots by the IPC schema.
import { cleanup, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../shared/ipc/ipc-events';
import type { NoticeKind } from '../../shared/ipc/contract';
import { VIEW_KINDS, VIEW_KIND_ORDER } from '../../shared/view/view-kind';
import { KeyCard } from '../../renderer/components/KeyCard';
import { NoticeList } from '../../renderer/components/NoticeList';
import { LANGUAGES } from '../../renderer/i18n/i18n';
import { viewText } from '../../renderer/i18n/message-ref';
import { appSnapshot, keySnapshot, viewFor } from './fixtures';
import { renderIn } from './render-helpers';

const noop = (): void => undefined;

/** A key card as the app renders it, in `language`, with inert actions. */
const renderCard = (
  key: ReturnType<typeof keySnapshot>,
  language: (typeof LANGUAGES)[number],
): ReturnType<typeof renderIn> =>
  renderIn(
    <KeyCard
      keySnapshot={key}
      onRetry={noop}
      onForget={noop}
      onChangePin={noop}
      onOpenSettings={noop}
    />,
    language,
  );
const cases = VIEW_KIND_ORDER.flatMap((kind) =>
  VIEW_KINDS[kind].messages.map((messageKey) => ({ kind, messageKey })),
);

describe('the fixtures', () => {
  it('are snapshots main could send', () => {
    const keys = cases.map(({ kind, messageKey }, i) =>
      keySnapshot({ serialNo: `ST${i}`, view: viewFor(kind, messageKey) }),
    );
    expect(EVENTS.snapshot.safeParse(appSnapshot(keys)).success).toBe(true);
  });
});

describe.each(LANGUAGES)('in %s', (language) => {
  it.each(cases)('a $kind card says $messageKey', ({ kind, messageKey }) => {
    const view = viewFor(kind, messageKey);
    const key = keySnapshot({ view });
    const { i18n, missing } = renderCard(key, language);
    const card = screen.getByTestId('key-card');
    expect(card.dataset['viewKind']).toBe(kind);
    const status = within(card).getByTestId('key-status');
    const explanation = viewText(i18n.t, messageKey, view.params);
    expect(explanation).not.toBe(messageKey);
    expect(status.textContent).toContain(explanation);
    expect(status.textContent).toContain(i18n.t(`status.${kind}`));
    expect(status.textContent).not.toMatch(/\{\{|\}\}|\{\w+\}/);
    expect(missing).toEqual([]);
  });

  it('every notice kind has its title and text', () => {
    const kinds: NoticeKind[] = [...VIEW_KIND_ORDER, 'lowBattery'];
    const keys = VIEW_KIND_ORDER.map((kind) =>
      keySnapshot({ serialNo: `S-${kind}`, name: `Key ${kind}`, view: viewFor(kind) }),
    );
    const notices = kinds.map((kind, id) => ({
      id,
      serialNo: `S-${kind === 'lowBattery' ? 'active' : kind}`,
      kind,
      severity: 'info' as const,
      name: `Key ${kind}`,
    }));
    const { missing } = renderIn(
      <NoticeList notices={notices} keys={keys} onDismiss={noop} />,
      language,
    );
    const shown = screen.getAllByTestId('notice');
    expect(shown.map((n) => n.dataset['kind'])).toEqual(kinds);
    for (const notice of shown) {
      expect(notice.querySelector('.notice-title')?.textContent).toBeTruthy();
      expect(notice.querySelector('.notice-body')?.textContent).toBeTruthy();
    }
    expect(missing).toEqual([]);
  });
});

/** The card's text a user can read: a closed <details> shows only its summary. */
function visibleText(element: HTMLElement): string {
  const copy = element.cloneNode(true) as HTMLElement;
  for (const details of copy.querySelectorAll('details')) {
    if (details.open) continue;
    for (const child of [...details.children]) if (child.tagName !== 'SUMMARY') child.remove();
  }
  return copy.textContent ?? '';
}

const SERVER_CODES = [615, 614, 601, 600, 1001, 1028, 999_999];

describe.each(LANGUAGES)('codes and dead ends in %s', (language) => {
  const render = (key: ReturnType<typeof keySnapshot>): HTMLElement => {
    const { missing } = renderCard(key, language);
    expect(missing).toEqual([]);
    return screen.getByTestId('key-card');
  };

  it.each(cases)('a stopped $kind card shows no raw code, only in its closed details', (c) => {
    for (const code of SERVER_CODES) {
      const key = keySnapshot({
        view: viewFor(c.kind, c.messageKey),
        step: 'stopped',
        error: { code, message: `server error ${code}` },
      });
      const card = render(key);
      const text = visibleText(card);
      const viewCode = 'code' in key.view.params ? String(key.view.params.code) : undefined;
      for (const shown of [String(code), viewCode].filter((v) => v !== undefined))
        expect(text, `${c.kind} ${code}`).not.toContain(shown);
      const details = within(card).getByTestId<HTMLDetailsElement>('key-code-details');
      expect(details.open).toBe(false);
      expect(details.textContent).toContain(String(code));
      cleanup();
    }
  });

  it.each(['lockedByCode', 'lockedByPin', 'locked'] as const)(
    'a %s card stopped by the server (615) says what to do and offers no Try again',
    (kind) => {
      const card = render(
        keySnapshot({
          view: viewFor(kind),
          step: 'stopped',
          connection: 'connected',
          error: { code: 615, message: 'HesDeviceLocked' },
        }),
      );
      expect(within(card).queryByTestId('action-retry')).toBeNull();
      expect(within(card).queryByTestId('key-error')).toBeNull();
      expect(card.textContent).toMatch(/\p{L}/u);
      expect(visibleText(card)).not.toContain('615');
    },
  );
});

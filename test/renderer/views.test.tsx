// @vitest-environment jsdom
// Every view kind (and each of its messages) renders a card with its kind as data and
// its explanation from the catalogue, in every language, with no missing key or
// unfilled placeholder; every notice kind renders its title the same way. The
// fixtures are valid snapshots by the IPC schema.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../shared/ipc/ipc-events';
import type { NoticeKind } from '../../shared/ipc/contract';
import { VIEW_KINDS, VIEW_KIND_ORDER } from '../../shared/view/view-kind';
import { KeyCard } from '../../renderer/components/KeyCard';
import { NoticeList } from '../../renderer/components/NoticeList';
import { LANGUAGES } from '../../renderer/i18n/i18n';
import { appSnapshot, keySnapshot, viewFor } from './fixtures';
import { renderIn } from './render-helpers';

const noop = (): void => undefined;
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
    const { i18n, missing } = renderIn(
      <KeyCard
        keySnapshot={key}
        onRetry={noop}
        onForget={noop}
        onChangePin={noop}
        onOpenSettings={noop}
      />,
      language,
    );
    const card = screen.getByTestId('key-card');
    expect(card.dataset['viewKind']).toBe(kind);
    const status = within(card).getByTestId('key-status');
    const explanation = i18n.t(messageKey, view.params);
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

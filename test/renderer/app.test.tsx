// @vitest-environment jsdom
// The renderer as a whole: the header, the empty state, the cards and their actions,
// the prompt dialog following the snapshots (focus in, the page inert, focus back),
// Change PIN, the settings, notices, the live region and a lost companion.
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { KeySnapshot } from '../../shared/ipc/snapshot';
import { VaultStatus, VaultStatusReason } from '../../shared/vault/vault-status';
import { LANGUAGE_STORAGE_KEY } from '../../renderer/i18n/i18n';
import { mountApp } from './app-harness';
import { SERIAL, appSnapshot, awaitingCode, keySnapshot, viewFor } from './fixtures';

const card = (serial = SERIAL): HTMLElement =>
  screen.getAllByTestId('key-card').find((el) => el.dataset['serial'] === serial) ??
  (undefined as never);

describe('the header', () => {
  it('always says the server state, in words, with the state as data', () => {
    const app = mountApp(
      appSnapshot([], { server: { connection: { state: 'offline', reason: 'unreachable' } } }),
    );
    const header = screen.getByTestId('server-status');
    expect(header.tagName).toBe('HEADER');
    expect(header.dataset['state']).toBe('offline');
    expect(header.textContent).toContain('Offline: the server does not answer');
    app.push(appSnapshot([], { server: { connection: { state: 'notApproved' } } }));
    expect(header.dataset['state']).toBe('notApproved');
    expect(header.textContent).toContain('This computer is not approved');
    expect(screen.getByTestId('announcer').textContent).toBe(
      'Server: This computer is not approved',
    );
    expect(app.missing).toEqual([]);
  });
});

describe('no key', () => {
  it('tells the user to plug in or switch on the key', () => {
    mountApp(appSnapshot([]));
    const empty = screen.getByTestId('empty-state');
    expect(empty.textContent).toContain('Plug your Hideez Key into a USB port');
    expect(screen.queryAllByTestId('key-card')).toHaveLength(0);
  });

  it('explains a missing USB permission on Linux with the udev rule, and no Bluetooth', () => {
    mountApp(appSnapshot([], { links: { usb: 'unauthorized', ble: 'unavailable' } }));
    const empty = screen.getByTestId('empty-state');
    expect(empty.textContent).toContain('No permission to use the key over USB');
    expect(within(empty).getByText(/70-hideez-key\.rules \/etc\/udev\/rules\.d\//).tagName).toBe(
      'CODE',
    );
    expect(empty.textContent).toContain(
      'sudo udevadm control --reload-rules && sudo udevadm trigger',
    );
    expect(empty.textContent).toContain('Bluetooth is not available on this computer');
  });
});

describe('a key’s card', () => {
  it('shows name, serial, owner, connection, battery, firmware, last sync, status and history', () => {
    const app = mountApp(appSnapshot([keySnapshot({ link: 'ble', rssi: -58 })]));
    const c = card();
    expect(c.tagName).toBe('ARTICLE');
    expect(c.dataset).toMatchObject({
      viewKind: 'active',
      step: 'online',
      connection: 'connected',
    });
    expect(within(c).getByRole('heading', { name: 'Hideez Key 4' })).toBeTruthy();
    expect(c.textContent).toContain(SERIAL);
    expect(within(c).getByTestId('key-owner').textContent).toBe('Olena Kovalenkoolena@example.com');
    expect(within(c).getByTestId('key-battery').textContent).toBe('80%');
    expect(within(c).queryByTestId('key-low-battery')).toBeNull();
    expect(c.textContent).toContain('Bluetooth, strong signal');
    expect(c.textContent).toContain('1.4.0');
    expect(within(c).getAllByRole('time')[0]?.getAttribute('datetime')).toBe(
      '2025-03-01T09:30:00.000Z',
    );
    const status = within(c).getByTestId('key-status');
    expect(status.textContent).toBe('ActiveYour key is ready to use.');
    const entries = within(c).getAllByTestId('history-entry');
    expect(entries.map((e) => e.textContent?.replace(/^.*?(?=Reserved|First)/, ''))).toEqual([
      'Reserved → Activereported by the server',
      'First seen: Reservedreported by the server',
    ]);
    expect(app.missing).toEqual([]);
  });

  it('shows the low-battery line at 25 % and below', () => {
    const app = mountApp(appSnapshot([keySnapshot({ battery: 26 })]));
    expect(within(card()).queryByTestId('key-low-battery')).toBeNull();
    app.push(appSnapshot([keySnapshot({ battery: 25 })]));
    expect(within(card()).getByTestId('key-low-battery').textContent).toBe(
      'The battery in your key is below 25%. Ask your administrator to schedule a battery replacement.',
    );
  });

  it('keeps the history collapsible: the latest three, then all on request', async () => {
    const history = [1, 2, 3, 4, 5].map((n) => ({
      time: `2025-03-0${n}T10:00:00.000Z`,
      from: VaultStatus.Active,
      to: n % 2 ? VaultStatus.Locked : VaultStatus.Active,
      reason: n === 5 ? VaultStatusReason.LockedByInvalidPin : null,
      source: 'key' as const,
    }));
    mountApp(appSnapshot([keySnapshot({ history })]));
    const entries = within(card()).getAllByTestId('history-entry');
    expect(entries).toHaveLength(5);
    expect(entries.filter((e) => !e.hidden)).toHaveLength(3);
    expect(entries[0]?.querySelector('time')?.getAttribute('datetime')).toBe(
      '2025-03-05T10:00:00.000Z',
    );
    expect(entries[0]?.textContent).toContain('reason: wrong PINs');
    const toggle = within(card()).getByRole('button', { name: 'Show all (5)' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await userEvent.setup().click(toggle);
    expect(entries.filter((e) => !e.hidden)).toHaveLength(5);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
  });

  it('offers Try again for a stopped flow with its error in words, and runs retryKey', async () => {
    const stopped = keySnapshot({
      step: 'stopped',
      view: viewFor('awaitingActivation'),
      error: { code: 'WORKFLOW_CANCELLED_BY_USER', message: 'You cancelled.' },
    });
    const app = mountApp(appSnapshot([stopped]));
    expect(within(card()).getByTestId('key-error').textContent).toBe(
      'Stopped: You cancelled. Choose Try again, or reconnect the key.',
    );
    await userEvent.setup().click(within(card()).getByTestId('action-retry'));
    expect(app.calls).toEqual([{ name: 'retryKey', args: [SERIAL] }]);
    // Not when the key is gone.
    app.push(appSnapshot([{ ...stopped, connection: 'disconnected' }]));
    expect(within(card()).queryByTestId('action-retry')).toBeNull();
  });

  it('offers Remove only for a disconnected key, and says why otherwise', async () => {
    const compromised = keySnapshot({ step: 'stopped', view: viewFor('compromised') });
    const app = mountApp(appSnapshot([compromised]), {
      answer: (name) =>
        name === 'forgetKey'
          ? { ok: false, error: { code: 'WORKFLOW_KEY_CONNECTED', message: 'Unplug it.' } }
          : undefined,
    });
    expect(within(card()).queryByTestId('action-forget')).toBeNull();
    expect(card().textContent).toContain('unplug it or switch it off first');
    expect(card().textContent).toContain('Your administrator can help with this key.');

    app.push(appSnapshot([{ ...compromised, connection: 'disconnected' }]));
    await userEvent.setup().click(within(card()).getByTestId('action-forget'));
    expect(app.calls).toEqual([{ name: 'forgetKey', args: [SERIAL] }]);
    expect((await within(card()).findByRole('alert')).textContent).toBe(
      'Unplug or switch off the key before removing it from this computer.',
    );
  });

  it('offers Try again and the server settings for an unconfirmed key', async () => {
    mountApp(appSnapshot([keySnapshot({ view: viewFor('serverUnreachable') })]));
    expect(within(card()).getByTestId('action-retry')).toBeTruthy();
    await userEvent.setup().click(within(card()).getByTestId('action-settings'));
    expect(screen.getByTestId('settings')).toBeTruthy();
  });
});

describe('the prompt dialog', () => {
  it('opens when a key asks, makes the page inert, follows the key, and gives focus back', async () => {
    const user = userEvent.setup();
    const app = mountApp(appSnapshot([keySnapshot({ step: 'reading', view: viewFor('reading') })]));
    const settingsButton = screen.getByTestId('open-settings');
    settingsButton.focus();

    app.push(appSnapshot([awaitingCode(3)]));
    const dialog = screen.getByRole('dialog');
    expect(dialog.dataset).toMatchObject({ kind: 'activationCode', serial: SERIAL });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const input = within(dialog).getByTestId('activation-code-input');
    expect(document.activeElement).toBe(input);
    expect(screen.getByTestId('server-status').closest('[inert]')).not.toBeNull();

    await user.type(input, '123456{Enter}');
    expect(app.calls).toEqual([{ name: 'submitActivationCode', args: [SERIAL, '123456'] }]);

    // The key checks the code: no prompt in the snapshot, the dialog waits.
    const { prompt: _p, ...checking } = awaitingCode(3);
    app.push(appSnapshot([{ ...checking, step: 'verifyingCode' }]));
    expect(within(screen.getByRole('dialog')).getByTestId('prompt-verifying')).toBeTruthy();

    app.push(
      appSnapshot([
        awaitingCode(2, {
          prompt: {
            kind: 'activationCode',
            attemptsRemain: 2,
            reason: 'firstActivation',
            lastResult: 'wrong',
          },
        }),
      ]),
    );
    expect(screen.getByTestId('prompt-result').textContent).toBe(
      'Invalid activation code. 2 attempts left',
    );
    expect(screen.getByTestId('attempts-left').dataset['attempts']).toBe('2');

    app.push(appSnapshot([keySnapshot()]));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('server-status').closest('[inert]')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(settingsButton));
  });

  it('gives focus to the key’s card when nothing was focused before', async () => {
    const app = mountApp(appSnapshot([awaitingCode(3)]));
    expect(document.activeElement?.getAttribute('data-testid')).toBe('activation-code-input');
    app.push(appSnapshot([keySnapshot()]));
    await waitFor(() => expect(document.activeElement).toBe(card()));
  });

  it('Escape asks main to cancel the prompt', async () => {
    const app = mountApp(appSnapshot([awaitingCode(3)]));
    await userEvent.setup().keyboard('{Escape}');
    expect(app.calls).toEqual([{ name: 'cancelPrompt', args: [SERIAL] }]);
  });

  it('asks for the button press, and for the PIN with its attempts', () => {
    const button = keySnapshot({
      step: 'awaitingButton',
      prompt: { kind: 'button' },
      view: viewFor('buttonRequired'),
    });
    const app = mountApp(appSnapshot([button]));
    expect(screen.getByTestId('press-button')).toBeTruthy();
    app.push(
      appSnapshot([
        keySnapshot({
          step: 'awaitingPin',
          prompt: {
            kind: 'pin',
            attemptsRemain: 1,
            minLength: 4,
            maxLength: 8,
            lastResult: 'wrong',
          },
          view: viewFor('pinRequired'),
        }),
      ]),
    );
    expect(screen.getByRole('dialog').dataset['kind']).toBe('pin');
    expect(screen.getByTestId('last-attempt-warning')).toBeTruthy();
  });
});

describe('change PIN', () => {
  it('opens from an online key’s card, sends the three PINs, and closes with a word', async () => {
    const user = userEvent.setup();
    const app = mountApp(appSnapshot([keySnapshot()]));
    const trigger = within(card()).getByTestId('action-change-pin');
    await user.click(trigger);
    const dialog = screen.getByRole('dialog');
    expect(dialog.dataset).toMatchObject({ kind: 'changePin', serial: SERIAL });
    await user.type(within(dialog).getByTestId('old-pin-input'), '1111');
    await user.type(within(dialog).getByTestId('new-pin-input'), '2468');
    await user.type(within(dialog).getByTestId('confirm-pin-input'), '2468{Enter}');
    expect(app.calls).toEqual([{ name: 'changePin', args: [SERIAL, '1111', '2468', '2468'] }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('announcer').textContent).toBe(
      'The PIN of Hideez Key 4 was changed.',
    );
    await waitFor(() => expect(document.activeElement).toBe(trigger));
  });

  it('a key without a PIN offers Set PIN: the new PIN twice, no current PIN', async () => {
    const user = userEvent.setup();
    const app = mountApp(appSnapshot([keySnapshot({ pin: 'notSet' })]));
    expect(within(card()).queryByTestId('action-change-pin')).toBeNull();
    await user.click(within(card()).getByTestId('action-set-pin'));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).queryByTestId('old-pin-input')).toBeNull();
    expect(dialog.textContent).toContain('Your key has no PIN yet');
    await user.type(within(dialog).getByTestId('new-pin-input'), '2468');
    await user.type(within(dialog).getByTestId('confirm-pin-input'), '2468{Enter}');
    expect(app.calls).toEqual([{ name: 'setPin', args: [SERIAL, '2468', '2468'] }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('announcer').textContent).toBe('The PIN of Hideez Key 4 was set.');
  });

  it('a wrong current PIN says the attempts left, in the language’s plural form', async () => {
    const user = userEvent.setup();
    mountApp(appSnapshot([keySnapshot({ pin: 'set' })]), {
      answer: (name) =>
        name === 'changePin'
          ? {
              ok: false,
              error: { code: 'WORKFLOW_PIN_WRONG', message: 'Wrong PIN.', attemptsRemain: 2 },
            }
          : undefined,
    });
    await user.click(within(card()).getByTestId('action-change-pin'));
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByTestId('old-pin-input'), '1111');
    await user.type(within(dialog).getByTestId('new-pin-input'), '2468');
    await user.type(within(dialog).getByTestId('confirm-pin-input'), '2468{Enter}');
    await waitFor(() => expect(dialog.textContent).toContain('Wrong PIN. 2 attempts left'));
  });

  it('is not offered while the key is busy or away', () => {
    mountApp(appSnapshot([keySnapshot({ step: 'authorizing' })]));
    expect(screen.queryByTestId('action-change-pin')).toBeNull();
  });
});

describe('the settings', () => {
  it('check the address, connect to it, and explain a server that does not answer', async () => {
    const user = userEvent.setup();
    const app = mountApp(appSnapshot([]), {
      answer: (name, args) =>
        name === 'setServerUrl' && args[0] === 'https://down.example.com'
          ? { ok: false, error: { code: 603, message: 'the server does not answer: refused' } }
          : name === 'checkServer' && args[0] === 'nonsense'
            ? { ok: false, error: { code: 'INPUT_URL_INVALID', message: 'x' } }
            : undefined,
    });
    await user.click(screen.getByTestId('open-settings'));
    const settings = screen.getByTestId('settings');
    expect(document.activeElement).toBe(
      within(settings).getByRole('heading', { name: 'Settings' }),
    );
    const input = within(settings).getByTestId<HTMLInputElement>('server-url-input');
    expect(input.value).toBe('https://hes.example.com');
    const result = within(settings).getByTestId('server-check-result');

    await user.clear(input);
    await user.type(input, 'nonsense');
    await user.click(within(settings).getByTestId('server-check'));
    await waitFor(() =>
      expect(result.textContent).toBe('The server address must be an http or https URL.'),
    );

    await user.clear(input);
    await user.type(input, 'https://down.example.com');
    await user.click(within(settings).getByTestId('server-check'));
    await waitFor(() =>
      expect(result.textContent).toContain('The server answers at this address.'),
    );
    await user.click(within(settings).getByTestId('server-save'));
    await waitFor(() =>
      expect(result.textContent).toBe(
        'The server at this address did not answer, or it is not a Hideez server.',
      ),
    );

    await user.clear(input);
    await user.click(within(settings).getByTestId('server-save'));
    await waitFor(() => expect(result.textContent).toContain('The server address was removed.'));
    expect(app.calls).toEqual([
      { name: 'checkServer', args: ['nonsense'] },
      { name: 'checkServer', args: ['https://down.example.com'] },
      { name: 'setServerUrl', args: ['https://down.example.com'] },
      { name: 'setServerUrl', args: [null] },
    ]);
  });

  it('switch the language (saved), and close with focus back on the button', async () => {
    const user = userEvent.setup();
    const app = mountApp(appSnapshot([keySnapshot()]));
    const open = screen.getByTestId('open-settings');
    await user.click(open);
    const select = screen.getByTestId<HTMLSelectElement>('language-select');
    expect([...select.options].map((o) => o.value)).toEqual(['en', 'uk', 'ru']);
    await user.selectOptions(select, 'uk');
    await waitFor(() => expect(document.documentElement.lang).toBe('uk'));
    expect(app.saved.get(LANGUAGE_STORAGE_KEY)).toBe('uk');
    await user.click(screen.getByTestId('settings-close'));
    expect(screen.queryByTestId('settings')).toBeNull();
    expect(document.activeElement).toBe(open);
    expect(screen.getByTestId('server-status').textContent).toContain('Підключено');
    expect(within(card()).getByTestId('key-status').textContent).toBe(
      'АктивнийВаш ключ готовий до роботи.',
    );
    await user.click(open);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('settings')).toBeNull();
    await act(() => app.i18n.changeLanguage('en'));
  });
});

describe('notices and the live region', () => {
  it('shows each notice with what to do, reads it out, and lets it be dismissed', async () => {
    const locked: KeySnapshot = keySnapshot({ step: 'stopped', view: viewFor('lockedByPin') });
    const app = mountApp(appSnapshot([locked]));
    app.notice({ serialNo: SERIAL, kind: 'lockedByPin', severity: 'error' });
    const notice = screen.getByTestId('notice');
    expect(notice.dataset['kind']).toBe('lockedByPin');
    expect(notice.textContent).toContain('Hideez Key 4 is locked: too many wrong PINs');
    expect(notice.textContent).toContain('Ask your administrator for an activation code');
    const announcer = screen.getByTestId('announcer');
    expect(within(announcer).getByRole('alert').textContent).toBe(
      'Hideez Key 4 is locked: too many wrong PINs',
    );
    app.notice({ serialNo: SERIAL, kind: 'lowBattery', severity: 'warning' });
    expect(screen.getAllByTestId('notice').map((n) => n.dataset['kind'])).toEqual([
      'lowBattery',
      'lockedByPin',
    ]);
    expect(within(announcer).getByRole('status').textContent).toBe(
      'The battery of Hideez Key 4 is low',
    );
    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'Dismiss: The battery of Hideez Key 4 is low' }));
    expect(screen.getAllByTestId('notice').map((n) => n.dataset['kind'])).toEqual(['lockedByPin']);
  });

  it('says when the companion is lost, and when it is back', () => {
    const app = mountApp(appSnapshot([awaitingCode(3)]));
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(screen.queryByTestId('bridge-lost')).toBeNull();
    app.bridge('lost');
    expect(screen.getByTestId('bridge-lost').textContent).toContain(
      'Connection to the companion lost',
    );
    expect(screen.getByTestId('announcer').textContent).toBe('Connection to the companion lost');
    // Nothing typed could be sent now: the prompt waits for the companion.
    expect(screen.queryByRole('dialog')).toBeNull();
    app.bridge('open');
    expect(screen.queryByTestId('bridge-lost')).toBeNull();
    expect(screen.getByTestId('announcer').textContent).toBe(
      'Connection to the companion restored.',
    );
    expect(screen.getByRole('dialog').dataset['kind']).toBe('activationCode');
  });
});

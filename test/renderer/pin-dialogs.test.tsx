// @vitest-environment jsdom
// The PIN dialogs: a new PIN (typed twice, the key's minimum, at most 8, a mismatch
// caught before sending), the PIN (attempts after a wrong one), Change PIN, and the
// button prompt. Inputs are masked and cleared once sent.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { CommandResult } from '../../shared/ipc/contract';
import { ButtonDialog } from '../../renderer/components/dialogs/ButtonDialog';
import { ChangePinDialog } from '../../renderer/components/dialogs/ChangePinDialog';
import { NewPinDialog, type NewPinPrompt } from '../../renderer/components/dialogs/NewPinDialog';
import { PinDialog, type PinPrompt } from '../../renderer/components/dialogs/PinDialog';
import { renderIn } from './render-helpers';

const OK: CommandResult = { ok: true, value: null };
const field = (testId: string): HTMLInputElement => screen.getByTestId(testId);
const submitButton = (): HTMLButtonElement => screen.getByTestId('prompt-submit');

function expectMasked(input: HTMLInputElement): void {
  expect(input.type).toBe('password');
  expect(input.inputMode).toBe('numeric');
  expect(input.autocomplete).toBe('off');
}

describe('a new PIN', () => {
  const prompt = (over: Partial<NewPinPrompt> = {}): NewPinPrompt => ({
    kind: 'newPin',
    minLength: 6,
    maxLength: 8,
    ...over,
  });
  function setup(over: Partial<NewPinPrompt> = {}, verifying = false) {
    const onSubmit = vi.fn((_pin: string, _confirm: string) => Promise.resolve(OK));
    const onCancel = vi.fn();
    const rendered = renderIn(
      <NewPinDialog
        serialNo="ST1"
        name="Work key"
        prompt={prompt(over)}
        verifying={verifying}
        onSubmit={onSubmit}
        onCancel={onCancel}
      />,
    );
    return { ...rendered, user: userEvent.setup(), onSubmit, onCancel };
  }

  it('is asked twice, masked, with the key’s minimum in the hint, focused on the first field', () => {
    const { missing } = setup();
    expect(screen.getByRole('dialog', { name: 'Choose a PIN for Work key' }).dataset['kind']).toBe(
      'newPin',
    );
    expectMasked(field('new-pin-input'));
    expectMasked(field('confirm-pin-input'));
    expect(document.activeElement).toBe(field('new-pin-input'));
    expect(screen.getByText('6 to 8 digits.')).toBeTruthy();
    expect(missing).toEqual([]);
  });

  it('needs the key’s minimum length before it can be sent', async () => {
    const { user, onSubmit } = setup();
    await user.type(field('new-pin-input'), '12345');
    await user.type(field('confirm-pin-input'), '12345');
    expect(submitButton().disabled).toBe(true);
    expect(screen.getByText('The PIN must have at least 6 digits.')).toBeTruthy();
    await user.keyboard('{Enter}');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('takes at most 8 digits, and digits only', async () => {
    const { user } = setup();
    await user.type(field('new-pin-input'), '1234567890');
    expect(field('new-pin-input').value).toBe('12345678');
    await user.type(field('confirm-pin-input'), '1x');
    expect(field('confirm-pin-input').value).toBe('1');
    expect(screen.getByText('The PIN must contain digits only.')).toBeTruthy();
  });

  it('catches a mismatch before sending, clears both fields and says so', async () => {
    const { user, onSubmit } = setup();
    await user.type(field('new-pin-input'), '135790');
    await user.type(field('confirm-pin-input'), '135791{Enter}');
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByTestId('prompt-result').textContent).toBe(
      'The two PINs do not match. Type them again.',
    );
    expect(field('new-pin-input').value).toBe('');
    expect(field('confirm-pin-input').value).toBe('');
    expect(document.activeElement).toBe(field('new-pin-input'));
  });

  it('sends both and clears them at once', async () => {
    const { user, onSubmit } = setup();
    await user.type(field('new-pin-input'), '246813');
    await user.type(field('confirm-pin-input'), '246813');
    await user.click(submitButton());
    expect(onSubmit).toHaveBeenCalledWith('246813', '246813');
    expect(field('new-pin-input').value).toBe('');
    expect(field('confirm-pin-input').value).toBe('');
  });

  it('explains what the key answered to the last one', () => {
    setup({ lastResult: 'tooShort' });
    expect(screen.getByTestId('prompt-result').textContent).toBe(
      'The PIN must have at least 6 digits.',
    );
  });

  it('shows Verifying… while the key sets it', () => {
    setup({}, true);
    expect(screen.getByTestId('prompt-verifying')).toBeTruthy();
    expect(submitButton().disabled).toBe(true);
  });
});

describe('the PIN', () => {
  const prompt = (over: Partial<PinPrompt> = {}): PinPrompt => ({
    kind: 'pin',
    attemptsRemain: 3,
    minLength: 4,
    maxLength: 8,
    ...over,
  });
  function setup(over: Partial<PinPrompt> = {}) {
    const onSubmit = vi.fn((_pin: string) => Promise.resolve(OK));
    const onCancel = vi.fn();
    const rendered = renderIn(
      <PinDialog
        serialNo="ST1"
        name="Work key"
        prompt={prompt(over)}
        verifying={false}
        onSubmit={onSubmit}
        onCancel={onCancel}
      />,
    );
    return { ...rendered, user: userEvent.setup(), onSubmit, onCancel };
  }

  it('is masked, shows the attempts, and is sent and cleared', async () => {
    const { user, onSubmit, missing } = setup();
    expectMasked(field('pin-input'));
    expect(screen.getByTestId('attempts-left').dataset['attempts']).toBe('3');
    await user.type(field('pin-input'), '123');
    expect(submitButton().disabled).toBe(true);
    await user.type(field('pin-input'), '4{Enter}');
    expect(onSubmit).toHaveBeenCalledWith('1234');
    expect(field('pin-input').value).toBe('');
    expect(missing).toEqual([]);
  });

  it('after a wrong one: the attempts left, and the warning at the last', () => {
    const { unmount } = setup({ attemptsRemain: 2, lastResult: 'wrong' });
    expect(screen.getByTestId('prompt-result').textContent).toBe('Wrong PIN. 2 attempts left');
    expect(screen.getByTestId('attempts-left').dataset['attempts']).toBe('2');
    expect(screen.queryByTestId('last-attempt-warning')).toBeNull();
    unmount();
    setup({ attemptsRemain: 1, lastResult: 'wrong' });
    expect(screen.getByTestId('prompt-result').textContent).toBe('Wrong PIN. 1 attempt left');
    expect(screen.getByTestId('last-attempt-warning').textContent).toContain('last attempt');
  });

  it('in Ukrainian, counts with the right plural form', () => {
    renderIn(
      <PinDialog
        serialNo="ST1"
        name="Ключ"
        prompt={prompt({ attemptsRemain: 2, lastResult: 'wrong' })}
        verifying={false}
        onSubmit={() => Promise.resolve(OK)}
        onCancel={() => undefined}
      />,
      'uk',
    );
    expect(screen.getByTestId('prompt-result').textContent).toBe(
      'Неправильний PIN-код. Залишилося 2 спроби',
    );
  });

  it('Escape cancels and clears', async () => {
    const { user, onCancel } = setup();
    await user.type(field('pin-input'), '12{Escape}');
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(field('pin-input').value).toBe('');
  });
});

describe('change PIN', () => {
  function setup(answer: CommandResult = OK) {
    const onSubmit = vi.fn((_o: string, _n: string, _c: string) => Promise.resolve(answer));
    const onDone = vi.fn();
    const onCancel = vi.fn();
    const rendered = renderIn(
      <ChangePinDialog
        serialNo="ST1"
        name="Work key"
        minLength={4}
        onSubmit={onSubmit}
        onDone={onDone}
        onCancel={onCancel}
      />,
    );
    return { ...rendered, user: userEvent.setup(), onSubmit, onDone, onCancel };
  }

  it('asks the current PIN and the new one twice, sends all three, and is done', async () => {
    const { user, onSubmit, onDone, missing } = setup();
    expect(screen.getByTestId('prompt-dialog').dataset['kind']).toBe('changePin');
    for (const id of ['old-pin-input', 'new-pin-input', 'confirm-pin-input'])
      expectMasked(field(id));
    expect(document.activeElement).toBe(field('old-pin-input'));
    await user.type(field('old-pin-input'), '1111');
    await user.type(field('new-pin-input'), '2222');
    await user.type(field('confirm-pin-input'), '2222{Enter}');
    expect(onSubmit).toHaveBeenCalledWith('1111', '2222', '2222');
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(missing).toEqual([]);
  });

  it('catches a mismatch before sending', async () => {
    const { user, onSubmit } = setup();
    await user.type(field('old-pin-input'), '1111');
    await user.type(field('new-pin-input'), '2222');
    await user.type(field('confirm-pin-input'), '2223{Enter}');
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByTestId('prompt-result').textContent).toContain('do not match');
  });

  it('says a wrong current PIN in words and clears every field', async () => {
    const { user, onDone } = setup({
      ok: false,
      error: { code: 'WORKFLOW_PIN_WRONG', message: 'Wrong PIN.' },
    });
    await user.type(field('old-pin-input'), '9999');
    await user.type(field('new-pin-input'), '2222');
    await user.type(field('confirm-pin-input'), '2222{Enter}');
    expect((await screen.findByTestId('prompt-result')).textContent).toBe('Wrong PIN.');
    expect(onDone).not.toHaveBeenCalled();
    for (const id of ['old-pin-input', 'new-pin-input', 'confirm-pin-input']) {
      expect(field(id).value).toBe('');
    }
  });
});

describe('the button prompt', () => {
  it('asks for the press, can be cancelled, and focuses Cancel', async () => {
    const onCancel = vi.fn();
    const { missing } = renderIn(
      <ButtonDialog serialNo="ST1" name="Work key" onCancel={onCancel} />,
    );
    expect(screen.getByTestId('prompt-dialog').dataset['kind']).toBe('button');
    expect(screen.getByTestId('press-button').textContent).toBe('Press the button on your key');
    expect(document.activeElement).toBe(screen.getByTestId('prompt-cancel'));
    expect(screen.queryByTestId('prompt-submit')).toBeNull();
    await userEvent.setup().keyboard('{Enter}');
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(missing).toEqual([]);
  });
});

describe('sending, the same in every PIN dialog', () => {
  const REFUSED: CommandResult = {
    ok: false,
    error: { code: 'WORKFLOW_NO_PROMPT', message: 'The key is not waiting for this input.' },
  };
  type Send = (...values: string[]) => Promise<CommandResult>;
  /** Each PIN dialog: its fields (the first one focused), each typed '2468', and what it sends. */
  const dialogs: readonly {
    readonly name: string;
    readonly fields: readonly string[];
    readonly sent: readonly string[];
    readonly render: (onSubmit: Send, onCancel: () => void) => ReactElement;
  }[] = [
    {
      name: 'the PIN',
      fields: ['pin-input'],
      sent: ['2468'],
      render: (onSubmit, onCancel) => (
        <PinDialog
          serialNo="ST1"
          name="Work key"
          prompt={{ kind: 'pin', attemptsRemain: 3, minLength: 4, maxLength: 8 }}
          verifying={false}
          onSubmit={onSubmit}
          onCancel={onCancel}
        />
      ),
    },
    {
      name: 'a new PIN',
      fields: ['new-pin-input', 'confirm-pin-input'],
      sent: ['2468', '2468'],
      render: (onSubmit, onCancel) => (
        <NewPinDialog
          serialNo="ST1"
          name="Work key"
          prompt={{ kind: 'newPin', minLength: 4, maxLength: 8 }}
          verifying={false}
          onSubmit={onSubmit}
          onCancel={onCancel}
        />
      ),
    },
    ...(['change', 'set'] as const).map((mode) => ({
      name: `${mode} PIN`,
      fields: [
        ...(mode === 'change' ? ['old-pin-input'] : []),
        'new-pin-input',
        'confirm-pin-input',
      ],
      // Setting a first PIN sends no current one.
      sent: [mode === 'change' ? '2468' : '', '2468', '2468'],
      render: (onSubmit: Send, onCancel: () => void) => (
        <ChangePinDialog
          serialNo="ST1"
          name="Work key"
          mode={mode}
          minLength={4}
          onSubmit={onSubmit}
          onDone={() => undefined}
          onCancel={onCancel}
        />
      ),
    })),
  ];

  function setup(dialog: (typeof dialogs)[number], answer: CommandResult = OK) {
    let reply: (result: CommandResult) => void = () => undefined;
    const onSubmit = vi.fn<Send>(() => new Promise((resolve) => (reply = resolve)));
    const onCancel = vi.fn();
    renderIn(dialog.render(onSubmit, onCancel));
    const user = userEvent.setup();
    const fill = async (): Promise<void> => {
      for (const id of dialog.fields) await user.type(field(id), '2468');
    };
    return {
      user,
      fill,
      onSubmit,
      onCancel,
      /** The companion answers; resolves once the dialog is no longer busy. */
      answer: async (): Promise<void> => {
        act(() => reply(answer));
        await waitFor(() => expect(screen.queryByTestId('prompt-verifying')).toBeNull());
      },
    };
  }

  it.each(dialogs)('$name: a second submit before the answer sends nothing', async (dialog) => {
    const { fill, onSubmit, answer } = setup(dialog);
    await fill();
    const form = submitButton().form;
    if (!form) throw new Error('the submit button is outside a form');
    act(() => {
      fireEvent.submit(form);
      fireEvent.submit(form);
    });
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit).toHaveBeenCalledWith(...dialog.sent);
    await answer();
  });

  it.each(dialogs)(
    '$name: clears every field once sent, keeps nothing, and focuses the first again after the answer',
    async (dialog) => {
      const { user, fill, onSubmit, answer } = setup(dialog);
      await fill();
      await user.click(submitButton());
      expect(onSubmit).toHaveBeenCalledTimes(1);
      for (const id of dialog.fields) expect(field(id).value).toBe('');
      expect(screen.getByTestId('prompt-verifying')).toBeTruthy();
      expect(document.body.innerHTML).not.toContain('2468');
      await answer();
      // Focus follows the answer's render in an effect of its own (passive: after paint).
      await waitFor(() => expect(document.activeElement).toBe(field(dialog.fields[0] ?? '')));
    },
  );

  it.each(dialogs)('$name: says a refusal in words, with every field empty', async (dialog) => {
    const { fill, user, answer } = setup(dialog, REFUSED);
    await fill();
    await user.keyboard('{Enter}');
    await answer();
    expect(screen.getByTestId('prompt-result').textContent).toBe(
      'The key is not waiting for this input.',
    );
    for (const id of dialog.fields) expect(field(id).value).toBe('');
    await waitFor(() => expect(document.activeElement).toBe(field(dialog.fields[0] ?? '')));
  });

  it.each(dialogs)('$name: Cancel clears every field and cancels', async (dialog) => {
    const { fill, user, onSubmit, onCancel } = setup(dialog);
    await fill();
    await user.click(screen.getByTestId('prompt-cancel'));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onSubmit).not.toHaveBeenCalled();
    for (const id of dialog.fields) expect(field(id).value).toBe('');
  });
});

// @vitest-environment jsdom
// The activation-code dialog: its input rules (digits only, 6–8, pasted groups), the
// attempts and the last-attempt warning, "Verifying…", the key's answer in words,
// Cancel and Escape, focus in and out, and the code gone once sent.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { defaultKeyMap } from '@testing-library/user-event/dist/esm/keyboard/keyMap.js';
import { useState, type ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { CommandResult } from '../../shared/ipc/contract';
import {
  ActivationCodeDialog,
  type ActivationCodeDialogProps,
  type ActivationPrompt,
} from '../../renderer/components/dialogs/ActivationCodeDialog';
import { renderIn } from './render-helpers';

const OK: CommandResult = { ok: true, value: null };
const prompt = (over: Partial<ActivationPrompt> = {}): ActivationPrompt => ({
  kind: 'activationCode',
  attemptsRemain: 3,
  reason: 'firstActivation',
  ...over,
});

function setup(over: Partial<ActivationCodeDialogProps> = {}) {
  const onSubmit = vi.fn((_code: string) => Promise.resolve(OK));
  const onCancel = vi.fn();
  const props: ActivationCodeDialogProps = {
    serialNo: 'ST1',
    name: 'Work key',
    prompt: prompt(),
    verifying: false,
    onSubmit,
    onCancel,
    ...over,
  };
  const user = userEvent.setup();
  const rendered = renderIn(<ActivationCodeDialog {...props} />);
  const input = screen.getByTestId<HTMLInputElement>('activation-code-input');
  const submit = screen.getByTestId<HTMLButtonElement>('prompt-submit');
  return { ...rendered, user, input, submit, onSubmit, onCancel, props };
}

describe('the activation code field', () => {
  it('is a labelled, masked, numeric field with autocomplete off, focused on open', () => {
    const { input, missing } = setup();
    expect(screen.getByRole('dialog', { name: 'Activate Work key' })).toHaveProperty(
      'dataset.kind',
      'activationCode',
    );
    expect(screen.getByLabelText('Activation code')).toBe(input);
    expect(input.type).toBe('password');
    expect(input.inputMode).toBe('numeric');
    expect(input.autocomplete).toBe('off');
    expect(document.activeElement).toBe(input);
    expect(missing).toEqual([]);
  });

  it('takes digits only: a letter is refused and explained', async () => {
    const { user, input } = setup();
    await user.type(input, '12a');
    expect(input.value).toBe('12');
    expect(screen.getByText('The activation code must contain digits only.')).toBeTruthy();
    await user.type(input, '3');
    expect(input.value).toBe('123');
    expect(screen.queryByText('The activation code must contain digits only.')).toBeNull();
  });

  it('takes a pasted code with spaces and dashes, and the numeric keypad', async () => {
    const { user, input, submit } = setup();
    await user.click(input);
    await user.paste('123 456-78');
    expect(input.value).toBe('12345678');
    expect(submit.disabled).toBe(false);
    await user.clear(input);
    // The keypad's digits: key '4' with code 'Numpad4', as a browser reports them.
    const keypad = userEvent.setup({
      keyboardMap: [
        ...defaultKeyMap,
        ...'0123456789'.split('').map((key) => ({ code: `Numpad${key}`, key, location: 3 })),
      ],
    });
    await keypad.keyboard('[Numpad4][Numpad2][Numpad9][Numpad0][Numpad1][Numpad7]');
    expect(input.value).toBe('429017');
    expect(submit.disabled).toBe(false);
  });

  it('keeps submit disabled and says why while the code is too short or too long', async () => {
    const { user, input, submit, onSubmit } = setup();
    expect(submit.disabled).toBe(true);
    await user.type(input, '12345');
    expect(submit.disabled).toBe(true);
    const why = screen.getByText('The activation code must have at least 6 digits.');
    expect(input.getAttribute('aria-describedby')).toContain(why.id);
    await user.keyboard('{Enter}');
    expect(onSubmit).not.toHaveBeenCalled();

    await user.type(input, '6789');
    expect(input.value).toBe('123456789');
    expect(submit.disabled).toBe(true);
    expect(screen.getByText('The activation code must have at most 8 digits.')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('attempts', () => {
  it('are always shown, with a strong warning only at the last one', () => {
    const { rerender } = setup({ prompt: prompt({ attemptsRemain: 3 }) });
    const attempts = screen.getByTestId('attempts-left');
    expect(attempts.dataset['attempts']).toBe('3');
    expect(attempts.textContent).toBe('3 attempts left');
    expect(screen.queryByTestId('last-attempt-warning')).toBeNull();

    rerender(
      <ActivationCodeDialog
        serialNo="ST1"
        name="Work key"
        prompt={prompt({ attemptsRemain: 1 })}
        verifying={false}
        onSubmit={() => Promise.resolve(OK)}
        onCancel={() => undefined}
      />,
    );
    expect(screen.getByTestId('attempts-left').textContent).toBe('1 attempt left');
    const warning = screen.getByTestId('last-attempt-warning');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.textContent).toContain('last attempt');
  });

  it("show the key's answer to a wrong code in words", () => {
    setup({ prompt: prompt({ attemptsRemain: 2, lastResult: 'wrong' }) });
    expect(screen.getByTestId('prompt-result').textContent).toBe(
      'Invalid activation code. 2 attempts left',
    );
  });

  it('explain a length refusal the companion reported', () => {
    setup({ prompt: prompt({ lastResult: 'tooShort' }) });
    expect(screen.getByTestId('prompt-result').textContent).toBe(
      'The activation code must have at least 6 digits.',
    );
  });
});

describe('sending the code', () => {
  it('clears it from the field at once, shows Verifying… until the answer, then refocuses', async () => {
    let answer: (r: CommandResult) => void = () => undefined;
    const onSubmit = vi.fn(() => new Promise<CommandResult>((resolve) => (answer = resolve)));
    const { user, input, submit } = setup({ onSubmit });
    await user.type(input, '4821');
    await user.type(input, '93{Enter}');
    expect(onSubmit).toHaveBeenCalledWith('482193');
    expect(input.value).toBe('');
    expect(screen.getByTestId('prompt-verifying').textContent).toBe('Verifying…');
    expect(submit.disabled).toBe(true);
    expect(input.readOnly).toBe(true);
    expect(document.activeElement).toBe(input);

    answer(OK);
    await waitFor(() => expect(screen.queryByTestId('prompt-verifying')).toBeNull());
    expect(input.readOnly).toBe(false);
    expect(document.activeElement).toBe(input);
  });

  it('is sent once, however quickly the form is submitted again before the answer', async () => {
    let answer: (r: CommandResult) => void = () => undefined;
    const onSubmit = vi.fn(() => new Promise<CommandResult>((resolve) => (answer = resolve)));
    const { user, input, submit } = setup({ onSubmit });
    await user.type(input, '482193');
    const form = submit.form;
    if (!form) throw new Error('the submit button is outside a form');
    act(() => {
      fireEvent.submit(form);
      fireEvent.submit(form);
    });
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit).toHaveBeenCalledWith('482193');
    act(() => answer(OK));
    await waitFor(() => expect(screen.queryByTestId('prompt-verifying')).toBeNull());
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it('never puts the code in a DOM attribute', async () => {
    const { user, input, container } = setup();
    await user.type(input, '73915');
    await user.type(input, '8');
    const attributes = [...container.ownerDocument.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes].map((a) => a.value),
    );
    expect(attributes.some((value) => value.includes('739158'))).toBe(false);
  });

  it('shows Verifying… while the key checks (the snapshot says so)', () => {
    const { submit, input } = setup({ verifying: true });
    expect(screen.getByTestId('prompt-verifying')).toBeTruthy();
    expect(submit.disabled).toBe(true);
    expect(input.readOnly).toBe(true);
  });

  it('explains a refusal from the companion in words', async () => {
    const onSubmit = vi.fn(() =>
      Promise.resolve<CommandResult>({
        ok: false,
        error: { code: 'WORKFLOW_NO_PROMPT', message: 'The key is not waiting for this input.' },
      }),
    );
    const { user, input } = setup({ onSubmit });
    await user.type(input, '123456{Enter}');
    expect((await screen.findByTestId('prompt-result')).textContent).toBe(
      'The key is not waiting for this input.',
    );
  });
});

describe('cancel', () => {
  it('with the button: clears what was typed and cancels', async () => {
    const { user, input, onCancel } = setup();
    await user.type(input, '1234');
    await user.click(screen.getByTestId('prompt-cancel'));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(input.value).toBe('');
  });

  it('with Escape', async () => {
    const { user, input, onCancel } = setup();
    await user.type(input, '12{Escape}');
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(input.value).toBe('');
  });
});

describe('a suspended key', () => {
  it('says it was suspended and asks for the new code', () => {
    setup({ prompt: prompt({ reason: 'suspension' }) });
    expect(screen.getByRole('dialog', { name: 'Work key was suspended' })).toBeTruthy();
    expect(screen.getByText(/Enter the new activation code/)).toBeTruthy();
  });
});

/** A page with a button that opens the dialog, as a key asking would. */
function Page(): ReactElement {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        before
      </button>
      <button type="button">elsewhere</button>
      {open ? (
        <ActivationCodeDialog
          serialNo="ST1"
          name="Work key"
          prompt={prompt()}
          verifying={false}
          onSubmit={() => Promise.resolve(OK)}
          onCancel={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}

describe('focus', () => {
  it('moves into the dialog, stays in it on Tab, and returns to the trigger on close', async () => {
    const user = userEvent.setup();
    renderIn(<Page />);
    const trigger = screen.getByRole('button', { name: 'before' });
    await user.click(trigger);
    const input = screen.getByTestId('activation-code-input');
    expect(document.activeElement).toBe(input);

    const dialog = screen.getByTestId('prompt-dialog');
    for (let i = 0; i < 5; i++) {
      await user.tab();
      expect(dialog.contains(document.activeElement), `Tab ${i + 1}`).toBe(true);
    }
    for (let i = 0; i < 5; i++) {
      await user.tab({ shift: true });
      expect(dialog.contains(document.activeElement), `Shift+Tab ${i + 1}`).toBe(true);
    }

    fireEvent.keyDown(document.activeElement ?? dialog, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('prompt-dialog')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(trigger));
  });
});

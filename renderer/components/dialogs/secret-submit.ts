// Sending what a secret dialog asks (the PIN, a new PIN twice, the activation code), the
// same in every one: one send at a time, however quickly the form is submitted again;
// nothing sent until the dialog's rule allows it; every field cleared the moment it is
// sent and on cancel; "busy" from the send until the answer (or while the key checks);
// the first field focused whenever the dialog is not busy; the companion's refusal kept
// for the result line. The values go from the fields straight into `send`: nothing here
// keeps or logs them.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { CommandResult } from '../../../shared/ipc/contract';
import { errorRef, type MessageRef } from '../../i18n/message-ref';
import type { SecretField } from './secret-field';

/**
 * Why what is typed is not sent: an answer for the result line, the fields to clear and
 * the one to focus, each only when there is one (NOT_READY: none of them).
 */
export interface Refusal {
  readonly answer?: MessageRef;
  readonly clear?: readonly SecretField[];
  readonly focus?: SecretField;
}

/** Not complete yet, which the form already shows (its submit button is disabled). */
export const NOT_READY: Refusal = {};

export interface SecretSubmitOptions<Values> {
  /** Every field of the dialog: all cleared once sent, and on cancel. */
  readonly fields: readonly SecretField[];
  /** Focused whenever the dialog is not busy. */
  readonly first: SecretField;
  /** The key is checking what was sent (the snapshot says so). */
  readonly verifying?: boolean;
  /** What the key said of the last attempt, shown until something newer is. */
  readonly lastResult?: MessageRef | undefined;
  /** Why what is typed cannot be sent now; undefined when it can. */
  readonly refusal: () => Refusal | undefined;
  /** The values to send, read from the fields just before they are cleared. */
  readonly read: () => Values;
  readonly send: (values: Values) => Promise<CommandResult>;
  /** After the companion took what was sent. */
  readonly onSent?: () => void;
  readonly onCancel: () => void;
}

export interface SecretSubmit {
  /** Sending, or the key checking: the fields are read-only and submit is disabled. */
  readonly busy: boolean;
  /** What the result line says (nothing while busy): the refusal, else the last result. */
  readonly result: MessageRef | undefined;
  /** The result line's id, for the fields it describes. */
  readonly resultId: string;
  /** A send was refused since the last one went out. */
  readonly tried: boolean;
  /** The form's submit handler. */
  readonly submit: (event: FormEvent) => void;
  /** Cancel and Escape: every field cleared, then `onCancel`. */
  readonly cancel: () => void;
}

export function useSecretSubmit<Values>(options: SecretSubmitOptions<Values>): SecretSubmit {
  const { fields, first, verifying = false, lastResult, onCancel } = options;
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<MessageRef | undefined>(undefined);
  const [tried, setTried] = useState(false);
  // Set at once, not at the next render: a second submit in the same tick sends nothing.
  const inFlight = useRef(false);
  const resultId = useId();
  const busy = verifying || sending;

  const { focus } = first;
  useEffect(() => {
    if (!busy) focus();
  }, [busy, focus]);

  const clearAll = (): void => {
    for (const field of fields) field.clear();
  };

  // Read, every field cleared, and handed to `send` in one synchronous step: no variable
  // of this hook holds the values while the answer is awaited.
  const handOver = (): Promise<CommandResult> => {
    const values = options.read();
    clearAll();
    return options.send(values);
  };

  const sendNow = async (): Promise<void> => {
    const refused = options.refusal();
    if (refused) {
      for (const field of refused.clear ?? []) field.clear();
      if (refused.answer) setAnswer(refused.answer);
      refused.focus?.focus();
      setTried(true);
      return;
    }
    setTried(false);
    setAnswer(undefined);
    inFlight.current = true;
    setSending(true);
    const result = await handOver();
    inFlight.current = false;
    setSending(false);
    if (result.ok) options.onSent?.();
    else setAnswer(errorRef(result.error));
  };

  return {
    busy,
    result: busy ? undefined : (answer ?? lastResult),
    resultId,
    tried,
    submit: (event) => {
      event.preventDefault();
      if (busy || inFlight.current) return;
      void sendNow();
    },
    cancel: () => {
      clearAll();
      onCancel();
    },
  };
}

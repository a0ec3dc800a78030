// A field for a code or a PIN. The input is uncontrolled on purpose: React writes a
// controlled input's value into its `value` attribute, and a secret must not sit in
// the DOM's attributes. The text is kept in state only while it is being typed;
// clear() empties both right after sending, on cancel and on error.
import { useCallback, useEffect, useRef, useState, type ChangeEvent, type RefObject } from 'react';
import type { InputErrorCode } from '../../../shared/ipc/input-rules';

export interface SecretField {
  readonly ref: RefObject<HTMLInputElement | null>;
  readonly value: string;
  /** The last change refused (e.g. a letter typed), with the rule it broke. */
  readonly refused: InputErrorCode | undefined;
  readonly onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  readonly clear: () => void;
  readonly focus: () => void;
}

/**
 * `refuse` says whether a (normalised) text breaks a rule that makes typing it
 * pointless (not digits), by the shared rule's code; `normalise` tidies pasted text.
 */
export function useSecretField(
  refuse: (text: string) => InputErrorCode | undefined,
  normalise: (text: string) => string = (text) => text,
): SecretField {
  const ref = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [refused, setRefused] = useState<InputErrorCode | undefined>(undefined);

  const onChange = useCallback(
    (event: ChangeEvent<HTMLInputElement>) => {
      const input = event.target;
      const text = normalise(input.value);
      const broken = refuse(text);
      if (broken !== undefined) {
        input.value = value;
        setRefused(broken);
        return;
      }
      if (text !== input.value) input.value = text;
      setRefused(undefined);
      setValue(text);
    },
    [normalise, refuse, value],
  );

  const clear = useCallback(() => {
    if (ref.current) ref.current.value = '';
    setValue('');
    setRefused(undefined);
  }, []);

  const focus = useCallback(() => ref.current?.focus(), []);

  // Nothing typed outlives the dialog.
  useEffect(() => {
    const input = ref.current;
    return () => {
      if (input) input.value = '';
    };
  }, []);

  return { ref, value, refused, onChange, clear, focus };
}

/** Pasted codes often come grouped ("123 456", "1234-5678"). */
export const stripSeparators = (text: string): string => text.replace(/[\s-]/g, '');

// One PIN field: labelled, masked, numeric keypad, never autofilled, with its hint
// and the rule it breaks (if any) tied to it for screen readers.
import { useId, type ReactElement } from 'react';
import type { SecretField } from './secret-field';

export interface PinInputProps {
  readonly field: SecretField;
  readonly testId: string;
  readonly label: string;
  readonly maxLength: number;
  readonly hint?: string | undefined;
  /** Words for a broken rule (shown under the field). */
  readonly problem?: string | undefined;
  readonly invalid?: boolean;
  readonly readOnly?: boolean;
  /** More ids describing the field (e.g. the dialog's result line). */
  readonly describedBy?: string | undefined;
}

export function PinInput(props: PinInputProps): ReactElement {
  const { field, testId, label, maxLength, hint, problem, invalid, readOnly, describedBy } = props;
  const id = useId();
  const described = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : '', describedBy ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={field.ref}
        className="secret-input"
        data-testid={testId}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        autoCorrect="off"
        spellCheck={false}
        maxLength={maxLength}
        readOnly={readOnly}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={described || undefined}
        onChange={field.onChange}
      />
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {problem ? (
        <p id={`${id}-problem`} className={invalid ? 'rule-error' : 'rule-hint'}>
          {problem}
        </p>
      ) : null}
    </div>
  );
}

// The dialog for what a key asks now (store/dialog-target.ts picks the key): the
// activation code, a new PIN, the PIN, or a button press.
import type { ReactElement } from 'react';
import type { CommandResult } from '../../../shared/ipc/contract';
import type { PromptTarget } from '../../store/dialog-target';
import { ActivationCodeDialog } from './ActivationCodeDialog';
import { ButtonDialog } from './ButtonDialog';
import { NewPinDialog } from './NewPinDialog';
import { PinDialog } from './PinDialog';

export interface PromptDialogProps {
  readonly target: PromptTarget;
  readonly onSubmitCode: (serialNo: string, code: string) => Promise<CommandResult>;
  readonly onSubmitNewPin: (
    serialNo: string,
    pin: string,
    confirm: string,
  ) => Promise<CommandResult>;
  readonly onSubmitPin: (serialNo: string, pin: string) => Promise<CommandResult>;
  readonly onCancel: (serialNo: string) => void;
  /** Focus for when the element focused before the dialog is gone (the key's card). */
  readonly fallbackFocus: (serialNo: string) => void;
}

export function PromptDialog(props: PromptDialogProps): ReactElement {
  const { target, onSubmitCode, onSubmitNewPin, onSubmitPin, onCancel, fallbackFocus } = props;
  const { key, prompt, verifying } = target;
  const serialNo = key.serialNo;
  const common = {
    serialNo,
    name: key.name,
    onCancel: () => onCancel(serialNo),
    fallbackFocus: () => fallbackFocus(serialNo),
  };
  const id = `${serialNo}:${prompt.kind}`;
  switch (prompt.kind) {
    case 'activationCode':
      return (
        <ActivationCodeDialog
          key={id}
          {...common}
          prompt={prompt}
          verifying={verifying}
          onSubmit={(code) => onSubmitCode(serialNo, code)}
        />
      );
    case 'newPin':
      return (
        <NewPinDialog
          key={id}
          {...common}
          prompt={prompt}
          verifying={verifying}
          onSubmit={(pin, confirm) => onSubmitNewPin(serialNo, pin, confirm)}
        />
      );
    case 'pin':
      return (
        <PinDialog
          key={id}
          {...common}
          prompt={prompt}
          verifying={verifying}
          onSubmit={(pin) => onSubmitPin(serialNo, pin)}
        />
      );
    case 'button':
      return <ButtonDialog key={id} {...common} />;
  }
}

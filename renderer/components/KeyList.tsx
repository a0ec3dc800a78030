// The cards, in the snapshot's order.
import type { ReactElement } from 'react';
import type { KeySnapshot } from '../../shared/ipc/snapshot';
import type { MessageRef } from '../i18n/message-ref';
import { KeyCard, type KeyCardProps } from './KeyCard';

export interface KeyListProps extends Omit<KeyCardProps, 'keySnapshot' | 'actionError'> {
  readonly keys: readonly KeySnapshot[];
  readonly actionErrors: Readonly<Record<string, MessageRef>>;
}

export function KeyList(props: KeyListProps): ReactElement {
  const { keys, actionErrors, ...callbacks } = props;
  return (
    <ul className="key-list">
      {keys.map((key) => (
        <li key={key.serialNo}>
          <KeyCard keySnapshot={key} actionError={actionErrors[key.serialNo]} {...callbacks} />
        </li>
      ))}
    </ul>
  );
}

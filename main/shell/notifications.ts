// OS notifications for the notices that change what the employee can do with a
// key (the choice is notification-policy.ts). Shown by main: the page needs no
// notification permission.
import { Notification } from 'electron';
import type { Notice } from '../../shared/ipc/contract';
import { NotificationGate } from './notification-policy';

export function createNotifier(onClick: () => void): (notice: Notice) => void {
  const gate = new NotificationGate();
  return (notice) => {
    const chosen = gate.decide(notice);
    if (!chosen || !Notification.isSupported()) return;
    const notification = new Notification({ title: chosen.title, body: chosen.body });
    notification.on('click', onClick);
    notification.show();
  };
}

// Which notices become OS notifications: only the ones that change what the
// employee can do with a key (locked, suspended, withdrawn and wiped, compromised),
// once each time a key enters one of them, and a low battery (the service sends
// that once per low spell); the window shows every notice anyway. No electron import.
import type { NoticeKind } from '../../shared/ipc/contract';
import { LOW_BATTERY_PERCENT } from '../../shared/key/battery';
import type { ViewKind } from '../../shared/view/view-kind';

export type NotificationTopic = 'locked' | 'suspended' | 'wiped' | 'compromised';

const TOPIC_OF: Partial<Readonly<Record<ViewKind, NotificationTopic>>> = {
  locked: 'locked',
  lockedByPin: 'locked',
  lockedByCode: 'locked',
  suspended: 'suspended',
  wiped: 'wiped',
  compromised: 'compromised',
};

const BODIES: Readonly<Record<NotificationTopic, string>> = {
  locked: 'The key is locked. Contact your administrator to unlock it.',
  suspended: 'The key is suspended. Enter the new activation code from your administrator.',
  wiped: 'The key was withdrawn by your administrator and has been wiped.',
  compromised: 'The key is marked compromised. Stop using it and contact your administrator.',
};

export interface OsNotification {
  readonly title: string;
  readonly body: string;
}

const LOW_BATTERY_BODY = `The battery is below ${LOW_BATTERY_PERCENT}%. Ask your administrator to schedule a battery replacement.`;

/** The notification for a notice kind, or null when that kind is not notified. */
export function notificationFor(serialNo: string, kind: NoticeKind): OsNotification | null {
  if (kind === 'lowBattery') return { title: `Hideez Key ${serialNo}`, body: LOW_BATTERY_BODY };
  const topic = TOPIC_OF[kind];
  if (!topic) return null;
  return { title: `Hideez Key ${serialNo}`, body: BODIES[topic] };
}

/**
 * Remembers, per key, the topic last notified, so a key that stays locked across
 * reconnects and snapshots notifies once; leaving the topic re-arms it.
 */
export class NotificationGate {
  private readonly last = new Map<string, NotificationTopic | null>();

  /** Feed every notice; returns the notification to show now, if any. */
  decide(notice: { readonly serialNo: string; readonly kind: NoticeKind }): OsNotification | null {
    // The battery is beside the key's state: it neither fires nor re-arms a topic.
    if (notice.kind === 'lowBattery') return notificationFor(notice.serialNo, notice.kind);
    const topic = TOPIC_OF[notice.kind] ?? null;
    const previous = this.last.get(notice.serialNo) ?? null;
    this.last.set(notice.serialNo, topic);
    if (topic === null || topic === previous) return null;
    return notificationFor(notice.serialNo, notice.kind);
  }
}

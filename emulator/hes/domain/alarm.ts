// The global alarm as HES's RemoteWorkstationConnectionsService keeps it: on
// (`LockAllWorkstationsAsync`) pushes SetAlarmState(true) to every registered workstation and
// then stores {IsAlarm, AdminName, Date}; off (`UnlockAllWorkstationsAsync`) does nothing when
// it is already off, else stores and pushes false. The notifier's online() is the set of
// registered connections. The admin's name is "undefined" when no administrator is known.
import type { AlarmStateRecord } from '../store/records';
import type { DomainContext } from './domain-context';

const NO_ADMIN = 'undefined';

export class Alarm {
  constructor(private readonly ctx: DomainContext) {}

  lockAll(adminName?: string | null): AlarmStateRecord {
    const { notifier } = this.ctx;
    for (const ws of notifier.online()) notifier.send(ws, 'SetAlarmState', true);
    return this.store(true, adminName);
  }

  unlockAll(adminName?: string | null): AlarmStateRecord {
    const current = this.state();
    if (!current.isAlarm) return current;
    const state = this.store(false, adminName);
    const { notifier } = this.ctx;
    for (const ws of notifier.online()) notifier.send(ws, 'SetAlarmState', false);
    return state;
  }

  state(): AlarmStateRecord {
    return this.ctx.store.alarmState.get();
  }

  private store(isAlarm: boolean, adminName: string | null | undefined): AlarmStateRecord {
    const state: AlarmStateRecord = {
      isAlarm,
      adminName: typeof adminName === 'string' ? adminName : NO_ADMIN,
      date: this.ctx.now().toISOString(),
    };
    this.ctx.store.alarmState.set(state);
    return state;
  }
}

// HES's alarm state (alarmstate.json: IsAlarm, AdminName, Date) in AppSettings rows. The
// 'alarm' row is the one the AppHub gate reads (SettingsRepository.alarm()); the admin's name
// and the date sit beside it.
import type { DatabaseSync } from 'node:sqlite';
import type { AlarmStateRecord } from './records';
import { text } from './sql-values';

const IS_ALARM = 'alarm';
const ADMIN_NAME = 'alarm.adminName';
const DATE = 'alarm.date';

export class AlarmRepository {
  constructor(private readonly db: DatabaseSync) {}

  /** Never set: off, no admin, no date (HES's fresh `new AlarmState()`). */
  get(): AlarmStateRecord {
    return {
      isAlarm: this.value(IS_ALARM) === 'true',
      adminName: this.value(ADMIN_NAME),
      date: this.value(DATE),
    };
  }

  set(state: AlarmStateRecord): void {
    this.put(IS_ALARM, state.isAlarm ? 'true' : 'false');
    this.put(ADMIN_NAME, state.adminName);
    this.put(DATE, state.date);
  }

  private value(id: string): string | null {
    const row = this.db.prepare('SELECT Value FROM AppSettings WHERE Id = ?').get(id);
    return row ? text(row, 'Value') : null;
  }

  private put(id: string, value: string | null): void {
    if (value === null) {
      this.db.prepare('DELETE FROM AppSettings WHERE Id = ?').run(id);
      return;
    }
    this.db
      .prepare(
        'INSERT INTO AppSettings (Id, Value) VALUES (?, ?) ON CONFLICT (Id) DO UPDATE SET Value = excluded.Value',
      )
      .run(id, value);
  }
}

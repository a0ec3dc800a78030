// Employees, their accounts and the vault tasks: only as much as the vault rules need
// (one vault per employee, owner name/e-mail, soft-deleted accounts, NeedUpdate*Accounts flags).
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { HesStoreError, HesStoreErrorCode } from './hes-store-error';
import type { AccountRecord, EmployeeRecord, TaskOperation, TaskRecord } from './records';
import { bit, flag, int, text, textOrNull, type SqlRow } from './sql-values';

function toEmployee(row: SqlRow): EmployeeRecord {
  return {
    id: text(row, 'Id'),
    firstName: text(row, 'FirstName'),
    lastName: text(row, 'LastName'),
    email: textOrNull(row, 'Email'),
    phoneNumber: textOrNull(row, 'PhoneNumber'),
    departmentId: textOrNull(row, 'DepartmentId'),
    lastSeen: textOrNull(row, 'LastSeen'),
    primaryAccountId: textOrNull(row, 'PrimaryAccountId'),
  };
}

function toAccount(row: SqlRow): AccountRecord {
  return {
    id: text(row, 'Id'),
    name: text(row, 'Name'),
    login: text(row, 'Login'),
    employeeId: text(row, 'EmployeeId'),
    deleted: flag(row, 'Deleted'),
  };
}

function toTask(row: SqlRow): TaskRecord {
  const operation = int(row, 'Operation');
  if (![0, 1, 2, 3, 6, 7].includes(operation)) {
    throw new HesStoreError(HesStoreErrorCode.BadRow, 'task operation out of range', {
      column: 'Operation',
    });
  }
  return {
    id: text(row, 'Id'),
    vaultId: text(row, 'HardwareVaultId'),
    accountId: textOrNull(row, 'AccountId'),
    operation: operation as TaskOperation,
    createdAt: text(row, 'CreatedAt'),
    timestamp: int(row, 'Timestamp'),
  };
}

export interface NewEmployee {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly phoneNumber?: string | null;
  readonly departmentId?: string | null;
}

export class EmployeeRepository {
  constructor(private readonly db: DatabaseSync) {}

  insert(employee: NewEmployee): EmployeeRecord {
    const id = randomUUID();
    this.db
      .prepare(
        'INSERT INTO Employees (Id, FirstName, LastName, Email, PhoneNumber, DepartmentId) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        employee.firstName,
        employee.lastName,
        employee.email,
        employee.phoneNumber ?? null,
        employee.departmentId ?? null,
      );
    return this.get(id) as EmployeeRecord;
  }

  get(id: string): EmployeeRecord | undefined {
    const row = this.db.prepare('SELECT * FROM Employees WHERE Id = ?').get(id);
    return row ? toEmployee(row) : undefined;
  }

  byName(firstName: string, lastName: string): EmployeeRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM Employees WHERE FirstName = ? AND LastName = ?')
      .get(firstName, lastName);
    return row ? toEmployee(row) : undefined;
  }

  list(): EmployeeRecord[] {
    return this.db
      .prepare('SELECT * FROM Employees ORDER BY LastName, FirstName')
      .all()
      .map(toEmployee);
  }

  setLastSeen(id: string, time: string): void {
    this.db.prepare('UPDATE Employees SET LastSeen = ? WHERE Id = ?').run(time, id);
  }

  clearPrimaryAccount(id: string): void {
    this.db.prepare('UPDATE Employees SET PrimaryAccountId = NULL WHERE Id = ?').run(id);
  }
}

export class AccountRepository {
  constructor(private readonly db: DatabaseSync) {}

  insert(account: { employeeId: string; name: string; login: string }): AccountRecord {
    const id = randomUUID();
    this.db
      .prepare('INSERT INTO Accounts (Id, Name, Login, EmployeeId) VALUES (?, ?, ?, ?)')
      .run(id, account.name, account.login, account.employeeId);
    return { id, ...account, deleted: false };
  }

  find(employeeId: string, name: string, login: string): AccountRecord | undefined {
    const row = this.db
      .prepare(
        'SELECT * FROM Accounts WHERE EmployeeId = ? AND Name = ? AND Login = ? AND Deleted = 0',
      )
      .get(employeeId, name, login);
    return row ? toAccount(row) : undefined;
  }

  softDeleteForEmployee(employeeId: string): void {
    this.db
      .prepare('UPDATE Accounts SET Deleted = ? WHERE EmployeeId = ?')
      .run(bit(true), employeeId);
  }
}

export class TaskRepository {
  constructor(private readonly db: DatabaseSync) {}

  insert(task: Omit<TaskRecord, 'id'>): void {
    this.db
      .prepare(
        'INSERT INTO HardwareVaultTasks (Id, HardwareVaultId, AccountId, Operation, CreatedAt, Timestamp) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        randomUUID(),
        task.vaultId,
        task.accountId,
        task.operation,
        task.createdAt,
        task.timestamp,
      );
  }

  forVault(vaultId: string): TaskRecord[] {
    return this.db
      .prepare('SELECT * FROM HardwareVaultTasks WHERE HardwareVaultId = ? ORDER BY CreatedAt')
      .all(vaultId)
      .map(toTask);
  }

  deleteForVault(vaultId: string): void {
    this.db.prepare('DELETE FROM HardwareVaultTasks WHERE HardwareVaultId = ?').run(vaultId);
  }

  /** The vault's tasks of one operation are dropped (HES keeps one Profile task per vault). */
  deleteForVaultOperation(vaultId: string, operation: TaskOperation): void {
    this.db
      .prepare('DELETE FROM HardwareVaultTasks WHERE HardwareVaultId = ? AND Operation = ?')
      .run(vaultId, operation);
  }
}

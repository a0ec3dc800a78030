// Employees, their accounts and the vault tasks: only as much as the vault rules need
// (one vault per employee, owner name/e-mail, soft-deleted accounts, NeedUpdate*Accounts flags).
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { HesStoreError, HesStoreErrorCode } from './hes-store-error';
import { TaskOperation, type AccountRecord, type EmployeeRecord, type TaskRecord } from './records';
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
    password: textOrNull(row, 'Password'),
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

  /**
   * `ES.DeleteEmployeeAsync`'s row removal, with the cascades of HES's model: the employee's
   * accounts, workstation events and sessions go too; other rows naming those accounts lose it.
   */
  delete(id: string): void {
    const accounts = 'SELECT Id FROM Accounts WHERE EmployeeId = ?';
    this.db.prepare('DELETE FROM WorkstationEvents WHERE EmployeeId = ?').run(id);
    this.db.prepare('DELETE FROM WorkstationSessions WHERE EmployeeId = ?').run(id);
    for (const table of ['WorkstationEvents', 'WorkstationSessions']) {
      this.db
        .prepare(`UPDATE ${table} SET AccountId = NULL WHERE AccountId IN (${accounts})`)
        .run(id);
    }
    this.db.prepare(`DELETE FROM HardwareVaultTasks WHERE AccountId IN (${accounts})`).run(id);
    this.db.prepare('DELETE FROM Accounts WHERE EmployeeId = ?').run(id);
    this.db.prepare('DELETE FROM Employees WHERE Id = ?').run(id);
  }

  clearPrimaryAccount(id: string): void {
    this.db.prepare('UPDATE Employees SET PrimaryAccountId = NULL WHERE Id = ?').run(id);
  }
}

export class AccountRepository {
  constructor(private readonly db: DatabaseSync) {}

  insert(account: {
    employeeId: string;
    name: string;
    login: string;
    password?: string | null;
  }): AccountRecord {
    const id = randomUUID();
    const password = account.password ?? null;
    this.db
      .prepare(
        'INSERT INTO Accounts (Id, Name, Login, EmployeeId, Password) VALUES (?, ?, ?, ?, ?)',
      )
      .run(id, account.name, account.login, account.employeeId, password);
    return { ...account, id, deleted: false, password };
  }

  /** `ES.GetAccountsByEmployeeIdAsync`: the employee's accounts not soft-deleted. */
  forEmployee(employeeId: string): AccountRecord[] {
    return this.db
      .prepare('SELECT * FROM Accounts WHERE EmployeeId = ? AND Deleted = 0 ORDER BY Id')
      .all(employeeId)
      .map(toAccount);
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

  /** Vaults with a Profile task (`HVS.GetVaultIdsByProfileTaskAsync`: every vault, not one profile's). */
  vaultsWithProfileTask(): string[] {
    return this.db
      .prepare('SELECT DISTINCT HardwareVaultId AS Id FROM HardwareVaultTasks WHERE Operation = ?')
      .all(TaskOperation.Profile)
      .map((row) => text(row, 'Id'));
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

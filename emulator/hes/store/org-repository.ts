// Companies and Departments rows: only what HES's foreign keys need (a workstation's or an
// employee's department must exist) and what OrgStructure's create/list routes show.
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { CompanyRecord, DepartmentRecord } from './records';
import { text, type SqlRow } from './sql-values';

const toCompany = (row: SqlRow): CompanyRecord => ({
  id: text(row, 'Id'),
  name: text(row, 'Name'),
});

const toDepartment = (row: SqlRow): DepartmentRecord => ({
  id: text(row, 'Id'),
  name: text(row, 'Name'),
  companyId: text(row, 'CompanyId'),
});

export class OrgRepository {
  constructor(private readonly db: DatabaseSync) {}

  insertCompany(name: string): CompanyRecord {
    const id = randomUUID();
    this.db.prepare('INSERT INTO Companies (Id, Name) VALUES (?, ?)').run(id, name);
    return { id, name };
  }

  company(id: string): CompanyRecord | undefined {
    const row = this.db.prepare('SELECT * FROM Companies WHERE Id = ?').get(id);
    return row ? toCompany(row) : undefined;
  }

  companyByName(name: string): CompanyRecord | undefined {
    const row = this.db.prepare('SELECT * FROM Companies WHERE Name = ?').get(name);
    return row ? toCompany(row) : undefined;
  }

  companies(): CompanyRecord[] {
    return this.db.prepare('SELECT * FROM Companies ORDER BY Name, Id').all().map(toCompany);
  }

  insertDepartment(department: Omit<DepartmentRecord, 'id'>): DepartmentRecord {
    const id = randomUUID();
    this.db
      .prepare('INSERT INTO Departments (Id, Name, CompanyId) VALUES (?, ?, ?)')
      .run(id, department.name, department.companyId);
    return { ...department, id };
  }

  department(id: string): DepartmentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM Departments WHERE Id = ?').get(id);
    return row ? toDepartment(row) : undefined;
  }

  departmentByName(name: string): DepartmentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM Departments WHERE Name = ?').get(name);
    return row ? toDepartment(row) : undefined;
  }

  departments(companyId?: string): DepartmentRecord[] {
    const rows =
      companyId === undefined
        ? this.db.prepare('SELECT * FROM Departments ORDER BY Name, Id').all()
        : this.db
            .prepare('SELECT * FROM Departments WHERE CompanyId = ? ORDER BY Name, Id')
            .all(companyId);
    return rows.map(toDepartment);
  }
}

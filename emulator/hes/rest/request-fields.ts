// Reading the admin REST bodies: each field checked for its JSON type, names case-insensitive
// (HES's REST binder is Newtonsoft, which reads them so). A wrong body is a 400, never a throw
// of another kind.
import { VaultStatusReason } from '../../../shared/vault/vault-status';
import type { ImportRecord } from '../domain/hes-stand-in';
import { invalidRequest } from './rest-error';

export class Body {
  private readonly values = new Map<string, unknown>();

  /** `optional`: an empty body reads as `{}`. */
  constructor(value: unknown, optional = false) {
    if (value === undefined && optional) return;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalidRequest('The request body must be a JSON object');
    }
    for (const [name, field] of Object.entries(value)) this.values.set(name.toLowerCase(), field);
  }

  private get(name: string): unknown {
    return this.values.get(name.toLowerCase());
  }

  string(name: string): string {
    const value = this.get(name);
    if (typeof value !== 'string' || value.trim() === '') {
      throw invalidRequest(`"${name}" must be a non-empty string`);
    }
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.get(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalidRequest(`"${name}" must be a string`);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.get(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw invalidRequest(`"${name}" must be a boolean`);
    return value;
  }

  /** A VaultStatusReason among `allowed`, as its number (HES) or its name, any case. */
  reason(name: string, allowed: readonly VaultStatusReason[]): VaultStatusReason {
    const value = this.get(name);
    const found = allowed.find(
      (reason) =>
        reason === value ||
        (typeof value === 'string' && reasonName(reason).toLowerCase() === value.toLowerCase()),
    );
    if (found === undefined) {
      const names = allowed.map((r) => `${reasonName(r)} (${r})`).join(', ');
      throw invalidRequest(`"${name}" must be one of ${names}`);
    }
    return found;
  }
}

const reasonName = (reason: VaultStatusReason): string =>
  Object.entries(VaultStatusReason).find(([, value]) => value === reason)?.[0] ?? String(reason);

const RECORD_FIELDS = [
  'serialNo',
  'mac',
  'model',
  'firmwareVersion',
  'bootloaderVersion',
  'secret',
];
export const MAX_IMPORT_RECORDS = 1000;

/** The virtual key's provisioning records (`npm run key -- provision` output). */
export function importRecords(value: unknown): ImportRecord[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IMPORT_RECORDS) {
    throw invalidRequest(
      `The body must be a JSON array of 1..${MAX_IMPORT_RECORDS} provisioning records`,
    );
  }
  return value.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalidRequest(`Record ${index} must be an object`);
    }
    const record = item as Record<string, unknown>;
    for (const field of RECORD_FIELDS) {
      if (typeof record[field] !== 'string') {
        throw invalidRequest(`Record ${index}: "${field}" must be a string`);
      }
    }
    const rfid = record['rfid'];
    if (rfid !== undefined && typeof rfid !== 'string') {
      throw invalidRequest(`Record ${index}: "rfid" must be a string`);
    }
    const text = (field: string): string => record[field] as string;
    return {
      serialNo: text('serialNo'),
      mac: text('mac'),
      model: text('model'),
      firmwareVersion: text('firmwareVersion'),
      bootloaderVersion: text('bootloaderVersion'),
      secret: text('secret'),
      ...(typeof rfid === 'string' ? { rfid } : {}),
    };
  });
}

// The stand-in's administrator: HES seeds admin@hideez.com with the password "admin"; the
// stand-in keeps HES's address but gives it a random password, written beside the database in
// a file only its owner may read (0600), so the CLI (and a person) can log in while nobody
// else on the machine can. The password is never printed or logged: `serve` names the file.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { CompanionError } from '../../../shared/errors/companion-error';

/** HES's seeded administrator (ApplicationDbContextSeed). */
export const DEFAULT_ADMIN_EMAIL = 'admin@hideez.com';

export interface AdminCredentials {
  readonly email: string;
  readonly password: string;
}

export const AdminCredentialsErrorCode = {
  /** The file is not `{email, password}` with two non-empty strings. */
  Malformed: 'CREDENTIALS_MALFORMED',
  /** The file can be read by its group or others: the password may have leaked. */
  Exposed: 'CREDENTIALS_EXPOSED',
  /** The file cannot be read. */
  Unreadable: 'CREDENTIALS_UNREADABLE',
} as const;
export type AdminCredentialsErrorCode =
  (typeof AdminCredentialsErrorCode)[keyof typeof AdminCredentialsErrorCode];

export class AdminCredentialsError extends CompanionError<AdminCredentialsErrorCode> {
  override readonly name = 'AdminCredentialsError';
}

/** Where `startHesStandIn` keeps the credentials of the database `dbFile`. */
export const credentialsFileFor = (dbFile: string): string => `${dbFile}.credentials.json`;

const isEnoent = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';

/** Reads a credentials file; refuses one its group or others may read (POSIX only). */
export async function readAdminCredentials(file: string): Promise<AdminCredentials> {
  let text: string;
  try {
    if (process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0) {
      throw new AdminCredentialsError(
        AdminCredentialsErrorCode.Exposed,
        `${file} may be read by other users: chmod 600 it (or delete it for a new password)`,
      );
    }
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof AdminCredentialsError) throw e;
    throw new AdminCredentialsError(
      AdminCredentialsErrorCode.Unreadable,
      `cannot read the credentials file ${file}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    value = undefined;
  }
  const record =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const { email, password } = record;
  if (
    typeof email !== 'string' ||
    email === '' ||
    typeof password !== 'string' ||
    password === ''
  ) {
    throw new AdminCredentialsError(
      AdminCredentialsErrorCode.Malformed,
      `${file} is not {"email": …, "password": …}`,
    );
  }
  return { email, password };
}

/** The credentials in `file`; a missing file gets a new random password (0600, never replaced). */
export async function loadOrCreateAdminCredentials(file: string): Promise<AdminCredentials> {
  try {
    return await readAdminCredentials(file);
  } catch (e) {
    const missing =
      e instanceof AdminCredentialsError && (await stat(file).then(() => false, isEnoent));
    if (!missing) throw e;
  }
  const credentials = {
    email: DEFAULT_ADMIN_EMAIL,
    password: randomBytes(18).toString('base64url'),
  };
  // 'wx': two servers starting on one database never overwrite each other's password.
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return credentials;
}

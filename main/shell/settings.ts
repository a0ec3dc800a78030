// The companion's settings: the server address, the folder of the workstation id,
// and whether to start at login. One JSON file in Electron's userData folder (the
// shell passes the path; this module is plain Node and tested with a temp folder).
// Validated on read and on write; written atomically (temp file, fsync, rename) so
// a crash leaves the old file or the new one, never half of one.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { z } from 'zod';
import { CompanionError } from '../../shared/errors/companion-error';
import { parseServerUrl } from '../hes/server-url';

export const SETTINGS_FILE = 'settings.json';

export interface Settings {
  /** The HES base address (normalised), or null when none is configured. */
  readonly serverUrl: string | null;
  /** Where the workstation id is kept; null: the userData folder. */
  readonly workstationIdFolder: string | null;
  readonly startAtLogin: boolean;
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  serverUrl: null,
  workstationIdFolder: null,
  startAtLogin: false,
});

const serverUrl = z
  .string()
  .max(2048)
  .transform((text, ctx) => {
    try {
      return parseServerUrl(text).base;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not an http or https server address' });
      return z.NEVER;
    }
  });

// Unknown fields are dropped (a newer version's file still loads); known ones must be right.
const settingsSchema = z.object({
  serverUrl: serverUrl.nullable().default(null),
  workstationIdFolder: z
    .string()
    .max(4096)
    .refine((path) => isAbsolute(path) && !path.includes('\0'), 'not an absolute path')
    .nullable()
    .default(null),
  startAtLogin: z.boolean().default(false),
});

export const SettingsErrorCode = {
  /** The file exists but cannot be read (permissions, a folder in its place…). */
  Unreadable: 'SETTINGS_UNREADABLE',
  /** The file is not JSON. */
  Malformed: 'SETTINGS_MALFORMED',
  /** JSON, but a field has a wrong type or value. */
  Invalid: 'SETTINGS_INVALID',
  /** Writing the new file failed; the old one is untouched. */
  WriteFailed: 'SETTINGS_WRITE_FAILED',
} as const;
export type SettingsErrorCode = (typeof SettingsErrorCode)[keyof typeof SettingsErrorCode];

export type SettingsErrorDetails = {
  /** The fields that failed validation (names only, never their values). */
  readonly fields?: readonly string[];
  /** The system error code (ENOENT, EACCES…) for file errors. */
  readonly errno?: string;
};

export class SettingsError extends CompanionError<SettingsErrorCode, SettingsErrorDetails> {
  override readonly name = 'SettingsError';
  /** Always there ({} when nothing more is known), and always in the JSON. */
  declare readonly details: SettingsErrorDetails;

  constructor(code: SettingsErrorCode, message: string, details: SettingsErrorDetails = {}) {
    super(code, message, details);
  }
}

const errnoOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};
const withErrno = (e: unknown): SettingsErrorDetails => {
  const errno = errnoOf(e);
  return errno ? { errno } : {};
};

/** Check plain data as settings; throws SettingsError Invalid naming the bad fields. */
export function validateSettings(data: unknown): Settings {
  const result = settingsSchema.safeParse(data);
  if (result.success) return result.data;
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
  throw new SettingsError(SettingsErrorCode.Invalid, 'the settings have invalid fields', {
    fields,
  });
}

/** Read the settings file; a missing file gives the defaults. */
export async function readSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return DEFAULT_SETTINGS;
    throw new SettingsError(
      SettingsErrorCode.Unreadable,
      'the settings file cannot be read',
      withErrno(e),
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SettingsError(SettingsErrorCode.Malformed, 'the settings file is not valid JSON');
  }
  return validateSettings(data);
}

/** Validate and write the settings atomically; returns what was stored (normalised). */
export async function writeSettings(file: string, settings: Settings): Promise<Settings> {
  const valid = validateSettings(settings);
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(valid, null, 2) + '\n', 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new SettingsError(
      SettingsErrorCode.WriteFailed,
      'the settings file cannot be written',
      withErrno(e),
    );
  }
  return valid;
}

/**
 * The settings of one file, read once and changed one update at a time (updates
 * are queued, so two quick changes cannot overwrite each other).
 */
export class SettingsStore {
  private current: Settings;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    current: Settings,
  ) {
    this.current = current;
  }

  /**
   * Open the store. A file that cannot be used gives the defaults plus the error,
   * so the app still starts; the next update replaces the bad file.
   */
  static async open(file: string): Promise<{ store: SettingsStore; problem?: SettingsError }> {
    try {
      return { store: new SettingsStore(file, await readSettings(file)) };
    } catch (e) {
      if (!(e instanceof SettingsError)) throw e;
      return { store: new SettingsStore(file, DEFAULT_SETTINGS), problem: e };
    }
  }

  get(): Settings {
    return this.current;
  }

  /** Merge, validate, write; the stored settings change only when the write succeeded. */
  update(patch: Partial<Settings>): Promise<Settings> {
    const next = this.queue.then(async () => {
      this.current = await writeSettings(this.file, { ...this.current, ...patch });
      return this.current;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

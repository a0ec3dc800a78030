// The workstation's stable id (the `WorkstationId` header and WorkstationInfoDto.id):
// a random GUID made once and kept in a file, as the Hideez Client keeps it in the
// registry. Written atomically (temp file + rename) so a crash never leaves half an
// id. An unreadable or invalid file is replaced by a new id, with a typed warning:
// the server then sees a new, unapproved workstation, which an admin must approve.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const WORKSTATION_ID_FILE = 'workstation-id';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const WorkstationIdWarningCode = {
  /** The file exists but could not be read (permissions, a folder in its place…). */
  Unreadable: 'HES_WORKSTATION_ID_UNREADABLE',
  /** The file holds something other than a GUID. */
  Invalid: 'HES_WORKSTATION_ID_INVALID',
} as const;
export type WorkstationIdWarningCode =
  (typeof WorkstationIdWarningCode)[keyof typeof WorkstationIdWarningCode];

export class WorkstationIdWarning {
  readonly name = 'WorkstationIdWarning';
  constructor(
    readonly code: WorkstationIdWarningCode,
    readonly message: string,
  ) {}
  toJSON(): { name: string; code: WorkstationIdWarningCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

export interface WorkstationIdResult {
  readonly id: string;
  /** True when this call made the id (first start, or a replaced file). */
  readonly created: boolean;
  readonly warning?: WorkstationIdWarning;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await rename(temp, file);
}

/** Reads the id from `<folder>/workstation-id`, making and storing one if needed. */
export async function loadWorkstationId(folder: string): Promise<WorkstationIdResult> {
  const file = join(folder, WORKSTATION_ID_FILE);
  let warning: WorkstationIdWarning | undefined;
  try {
    const text = (await readFile(file, 'utf8')).trim().toLowerCase();
    if (GUID.test(text)) return { id: text, created: false };
    warning = new WorkstationIdWarning(
      WorkstationIdWarningCode.Invalid,
      'the stored workstation id is not a GUID: a new id was made',
    );
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      warning = new WorkstationIdWarning(
        WorkstationIdWarningCode.Unreadable,
        `the stored workstation id could not be read (${code ?? 'error'}): a new id was made`,
      );
    }
  }
  const id = randomUUID();
  await mkdir(folder, { recursive: true });
  try {
    await writeAtomically(file, id + '\n');
  } catch (e) {
    // A folder where the file should be, say: the id still works for this run.
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    warning ??= new WorkstationIdWarning(
      WorkstationIdWarningCode.Unreadable,
      `the workstation id could not be stored (${code}): it holds for this run only`,
    );
  }
  return { id, created: true, ...(warning !== undefined ? { warning } : {}) };
}

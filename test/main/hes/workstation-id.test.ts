import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  loadWorkstationId,
  WORKSTATION_ID_FILE,
  WorkstationIdWarningCode,
} from '../../../main/hes/workstation-id';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hes-ws-id-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the workstation id', () => {
  it('is made once and read back the same on every start', async () => {
    const first = await loadWorkstationId(join(dir, 'nested'));
    expect(first.created).toBe(true);
    expect(first.warning).toBeUndefined();
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    const second = await loadWorkstationId(join(dir, 'nested'));
    expect(second).toEqual({ id: first.id, created: false });
    // Atomic write: no temp file is left behind.
    expect(await readdir(join(dir, 'nested'))).toEqual([WORKSTATION_ID_FILE]);
  });

  it('is replaced, with a typed warning, when the file holds something else', async () => {
    await writeFile(join(dir, WORKSTATION_ID_FILE), 'not a guid');
    const result = await loadWorkstationId(dir);
    expect(result.created).toBe(true);
    expect(result.warning?.code).toBe(WorkstationIdWarningCode.Invalid);
    expect(result.warning?.toJSON()).toMatchObject({ code: 'HES_WORKSTATION_ID_INVALID' });
    expect((await readFile(join(dir, WORKSTATION_ID_FILE), 'utf8')).trim()).toBe(result.id);
  });

  it('is replaced, with a typed warning, when the file cannot be read', async () => {
    await mkdir(join(dir, WORKSTATION_ID_FILE));
    const result = await loadWorkstationId(dir);
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.warning?.code).toBe(WorkstationIdWarningCode.Unreadable);
  });

  it('still gives an id for this run when the folder is read-only', async () => {
    if (process.getuid?.() === 0) return; // root ignores file modes
    await chmod(dir, 0o500);
    const result = await loadWorkstationId(dir);
    await chmod(dir, 0o700);
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.warning?.code).toBe(WorkstationIdWarningCode.Unreadable);
  });
});

// The layer rule is enforced by ESLint (build/lint/layers.js via eslint.config.js).
// These cases lint probe sources under each folder's path with the project's real
// config, so a rule that stops matching fails here, not in review.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({
  cwd: process.cwd(),
  // Type information is irrelevant to import rules and needs files on disk.
  overrideConfig: [
    { languageOptions: { parserOptions: { projectService: false, project: null } } },
    tseslint.configs.disableTypeChecked,
  ],
});

async function layerViolations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

const cases: { file: string; code: string; allowed: boolean }[] = [
  // shared/ is pure
  {
    file: 'shared/x/probe.ts',
    code: "import { readFile } from 'node:fs'; void readFile;",
    allowed: false,
  },
  { file: 'shared/x/probe.ts', code: "import { join } from 'path'; void join;", allowed: false },
  { file: 'shared/x/probe.ts', code: "import { app } from 'electron'; void app;", allowed: false },
  {
    file: 'shared/x/probe.ts',
    code: "import { x } from '../../device/protocol/x'; void x;",
    allowed: false,
  },
  { file: 'shared/x/probe.ts', code: 'export const w = window.innerWidth;', allowed: false },
  { file: 'shared/x/probe.ts', code: 'export const e = process.env;', allowed: false },
  { file: 'shared/x/probe.ts', code: "import { y } from '../vault/y'; void y;", allowed: true },
  // device/ is Node without Electron
  {
    file: 'device/x/probe.ts',
    code: "import { readFile } from 'node:fs'; void readFile;",
    allowed: true,
  },
  { file: 'device/x/probe.ts', code: "import { app } from 'electron'; void app;", allowed: false },
  {
    file: 'device/x/probe.ts',
    code: "import { s } from '../../main/hes/s'; void s;",
    allowed: false,
  },
  {
    file: 'device/x/probe.ts',
    code: "import { k } from '../../emulator/key/k'; void k;",
    allowed: false,
  },
  // main/ services are plain Node; only main/shell imports electron
  { file: 'main/hes/probe.ts', code: "import { app } from 'electron'; void app;", allowed: false },
  { file: 'main/hes/probe.ts', code: "import { w } from '../shell/w'; void w;", allowed: false },
  {
    file: 'main/hes/probe.ts',
    code: "import { t } from '../../device/transport/t'; void t;",
    allowed: true,
  },
  {
    file: 'main/hes/probe.ts',
    code: "import { k } from '../../emulator/key/k'; void k;",
    allowed: false,
  },
  { file: 'main/shell/probe.ts', code: "import { app } from 'electron'; void app;", allowed: true },
  {
    file: 'main/shell/probe.ts',
    code: "import { r } from '../../renderer/r'; void r;",
    allowed: false,
  },
  // renderer/ sees only shared/
  {
    file: 'renderer/x/probe.tsx',
    code: "import { readFile } from 'node:fs'; void readFile;",
    allowed: false,
  },
  {
    file: 'renderer/x/probe.tsx',
    code: "import { ipcRenderer } from 'electron'; void ipcRenderer;",
    allowed: false,
  },
  {
    file: 'renderer/x/probe.tsx',
    code: "import { m } from '../../main/hes/m'; void m;",
    allowed: false,
  },
  {
    file: 'renderer/x/probe.tsx',
    code: "import { v } from '../../shared/view/v'; void v;",
    allowed: true,
  },
  // the emulator never reaches into the Electron shell
  {
    file: 'emulator/key/probe.ts',
    code: "import { app } from 'electron'; void app;",
    allowed: false,
  },
  {
    file: 'emulator/key/probe.ts',
    code: "import { c } from '../../device/protocol/c'; void c;",
    allowed: true,
  },
];

describe('the layer rule', () => {
  it.each(cases)('$file: $code → allowed=$allowed', async ({ file, code, allowed }) => {
    const violations = await layerViolations(file, code);
    if (allowed) expect(violations).toEqual([]);
    else expect(violations.length).toBeGreaterThan(0);
  });
});

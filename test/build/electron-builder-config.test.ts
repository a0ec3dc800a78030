// The packaging config is checked the way electron-builder itself would check it:
// against its own JSON schema (app-builder-lib/scheme.json), plus what this project
// needs from it: the targets, the Bluetooth usage string, native addons outside
// the asar archive, and nothing of the emulator or the tests in the package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';

// js-yaml comes with electron-builder and ships no types: only its `load` is used.
const { load } = createRequire(import.meta.url)('js-yaml') as { load: (text: string) => unknown };

const schema = JSON.parse(
  readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8'),
) as Record<string, unknown>;
/** The parts of the config this test reads (the schema checks the whole). */
interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[]; extendInfo: Record<string, string> };
}
const config = load(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

function validate(candidate: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
  const valid = ajv.validate(schema, candidate);
  return valid ? [] : (ajv.errors ?? []).map((e) => `${e.dataPath} ${e.message ?? ''}`);
}

describe('electron-builder.yml', () => {
  it("validates against electron-builder's own schema", () => {
    expect(validate(config)).toEqual([]);
  });

  it('the schema check is live: an unknown option or a wrong type is refused', () => {
    expect(validate({ ...config, notAnOption: true })).not.toEqual([]);
    expect(validate({ ...config, asar: 'yes' })).not.toEqual([]);
  });

  it('builds AppImage and deb for Linux, NSIS for Windows, dmg for macOS', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('tells macOS why the app uses Bluetooth', () => {
    expect(config.mac.extendInfo.NSBluetoothAlwaysUsageDescription).toMatch(/Bluetooth/);
  });

  it('packages the built app only: never the emulator, the tests or the sources', () => {
    const files = config.files;
    expect(files.filter((f) => !f.startsWith('!'))).toEqual(['out/**', 'package.json']);
    expect(files).toEqual(expect.arrayContaining(['!emulator/**', '!test/**']));
  });

  it('keeps the native addons outside the asar archive and rebuilds them for Electron', () => {
    const unpacked = config.asarUnpack;
    for (const pkg of ['node-hid', 'usb', '@abandonware/bluetooth-hci-socket']) {
      expect(unpacked).toContain(`node_modules/${pkg}/**`);
    }
    expect(unpacked).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true);
  });

  it('turns off the fuses that would let the binary run as plain Node', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });
});

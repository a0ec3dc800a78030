// The layer rule: which folder may import what. VS Code-style environments
// (common / node / electron-main / browser): a wrong import fails `npm run lint`.
// Read by eslint.config.js; tested by test/build/layers.test.ts.
import { builtinModules } from 'node:module';

const nodeBuiltins = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '')))];
const NODE = {
  group: ['node:*', ...nodeBuiltins, ...nodeBuiltins.map((m) => `${m}/*`)],
  message: 'Node built-ins are not allowed in this layer.',
};
const ELECTRON = {
  group: ['electron', 'electron/*'],
  message: 'Only main/shell imports electron.',
};
const NATIVE_DEVICE_LIBS = {
  group: ['node-hid', '@abandonware/noble', '@abandonware/noble/*', 'usb'],
  message: 'Device libraries belong to device/.',
};
/** A relative import that reaches into one of the named top-level folders. */
const into = (folders, message) => ({
  regex: `^(\\.\\.?/)+(.*/)?(${folders.join('|')})(/|$)`,
  message,
});

/** Globals a pure module must not touch (DOM, Node, Electron environments). */
const IMPURE_GLOBALS = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'location',
  'process',
  'Buffer',
  'require',
  'module',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
].map((name) => ({ name, message: 'shared/ is pure: no DOM, Node or Electron globals.' }));

/** @type {{ name: string, files: string[], ignores?: string[], patterns: object[], globals?: object[] }[]} */
export const layers = [
  {
    name: 'shared (pure)',
    files: ['shared/**/*.{ts,tsx}'],
    patterns: [
      NODE,
      ELECTRON,
      NATIVE_DEVICE_LIBS,
      { group: ['react', 'react-dom', 'react-dom/*', 'zustand'], message: 'shared/ has no UI.' },
      into(
        ['device', 'main', 'renderer', 'emulator', 'build', 'test'],
        'shared/ imports only shared/.',
      ),
    ],
    globals: IMPURE_GLOBALS,
  },
  {
    name: 'device (node)',
    files: ['device/**/*.ts'],
    patterns: [
      ELECTRON,
      into(['main', 'renderer', 'emulator', 'test'], 'device/ imports only shared/ and device/.'),
    ],
  },
  {
    name: 'main services (node)',
    files: ['main/**/*.ts'],
    ignores: ['main/shell/**'],
    patterns: [
      ELECTRON,
      into(['renderer', 'emulator', 'test'], 'main/ services import shared/, device/ and main/.'),
      into(['shell'], 'Services never depend on the Electron shell.'),
    ],
  },
  {
    name: 'main shell (electron-main, preload)',
    files: ['main/shell/**/*.ts'],
    patterns: [
      into(
        ['renderer', 'emulator', 'test'],
        'The shell wires services; it never imports the renderer or the emulator.',
      ),
    ],
  },
  {
    name: 'renderer (browser)',
    files: ['renderer/**/*.{ts,tsx}'],
    patterns: [
      NODE,
      ELECTRON,
      NATIVE_DEVICE_LIBS,
      into(
        ['device', 'main', 'emulator', 'build', 'test'],
        'The renderer imports only shared/ (and reaches main through the preload API).',
      ),
    ],
  },
  {
    name: 'emulator (node, never packaged)',
    files: ['emulator/**/*.ts'],
    patterns: [
      ELECTRON,
      into(['renderer', 'test'], 'The emulator does not import the renderer or tests.'),
    ],
  },
];

// The conformance run and its CLI: blank `expected` values come back recomputed,
// bad vectors get an "error" without stopping the run, a bad file exits 2.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../build/tools/key3';
import { runConformance } from '../../../device/key3/conformance/conformance';
import { ProtocolErrorCode } from '../../../device/protocol/protocol-error';
import { loadVectors, refusal } from './helpers';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const file = loadVectors();
const blanked = { ...file, vectors: file.vectors.map((v) => ({ ...v, expected: {} })) };

type Out = { vectors: Record<string, unknown>[] };
const outOf = (input: unknown): Out => runConformance(input) as unknown as Out;

describe('conformance run', () => {
  it('ignores the given expected values', () => {
    expect(runConformance(blanked)).toEqual(file);
  });

  it('reports a vector it cannot compute, and computes the rest', () => {
    const hs = file.vectors.find((v) => v.id === 'handshake-channel1')!;
    const input = {
      meta: file.meta,
      vectors: [
        { id: 'odd', kind: 'sha512', inputs: {}, expected: {} },
        { id: 'no-inputs', kind: 'sha256', expected: {} },
        { id: 'missing', kind: 'cmac', inputs: { key: '00'.repeat(16) }, expected: {} },
        { id: 'bad-hex', kind: 'sha256', inputs: { message: 'xyz' }, expected: {} },
        { id: 'short-key', kind: 'cmac', inputs: { key: '00', message: '' }, expected: {} },
        { id: 'bad-status', kind: 'status', inputs: { packet: '0016', channel: 1 }, expected: {} },
        {
          id: 'orphan',
          kind: 'counter',
          inputs: { continuesFrom: 'nowhere', messages: [] },
          expected: {},
        },
        {
          id: 'after-broken',
          kind: 'counter',
          inputs: { continuesFrom: 'broken-hs', messages: [] },
          expected: {},
        },
        {
          id: 'broken-hs',
          kind: 'handshake',
          inputs: { ...hs.inputs, hostNonce: '00' },
          expected: {},
        },
        {
          id: 'loop',
          kind: 'counter',
          inputs: { continuesFrom: 'loop', messages: [] },
          expected: {},
        },
        {
          id: 'no-session',
          kind: 'counter',
          inputs: { continuesFrom: 'ok', messages: [] },
          expected: {},
        },
        { id: 'ok', kind: 'sha256', inputs: { message: '616263' }, note: 'kept' },
      ],
    };
    const errors = Object.fromEntries(
      outOf(input).vectors.map((v): [string, unknown] => [
        String(v['id']),
        v['error'] ?? v['expected'],
      ]),
    );
    expect(errors).toEqual({
      odd: 'unknown kind: sha512',
      'no-inputs': 'missing inputs',
      missing: 'missing input: message',
      'bad-hex': 'bad input: message is not a hex byte string',
      'short-key': 'bad input: key must be 16 bytes, got 1',
      'bad-status': 'a STATUS packet is shorter than 14 bytes',
      orphan: 'continuesFrom not found: nowhere',
      'after-broken': 'continuesFrom broken-hs failed: bad input: hostNonce must be 8 bytes, got 1',
      'broken-hs': 'bad input: hostNonce must be 8 bytes, got 1',
      loop: 'continuesFrom cycle through: loop',
      'no-session': 'continuesFrom ok leaves no session',
      ok: { digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
    });
    const out = outOf(input).vectors;
    expect(Object.keys(out[0]!)).toEqual(['id', 'kind', 'inputs', 'error']);
    expect(Object.keys(out.at(-1)!)).toEqual(['id', 'kind', 'inputs', 'note', 'expected']);
  });

  it('refuses a file that is not a vectors file', () => {
    refusal(() => runConformance([]), ProtocolErrorCode.BadField);
    refusal(() => runConformance({ vectors: {} }), ProtocolErrorCode.BadField);
    refusal(() => runConformance({ vectors: [1] }), ProtocolErrorCode.BadField);
  });
});

describe('npm run key3 -- conformance', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'key3-conformance-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the file with every expected recomputed (child process, Electron Node)', async () => {
    const path = join(dir, 'blank.json');
    await writeFile(path, JSON.stringify(blanked));
    const { stdout, stderr } = await run(
      process.execPath,
      ['build/tools/with-electron-node.mjs', 'tsx', 'build/tools/key3.ts', 'conformance', path],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stderr).toBe('');
    expect(stdout.endsWith('}\n')).toBe(true);
    expect(JSON.parse(stdout)).toEqual(file);
    expect(stdout).toBe(`${JSON.stringify(file, null, 2)}\n`);
  }, 60_000);

  it('exits 2 with a message on stderr for an unreadable or invalid file (child process)', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"vectors": ');
    const failure = await run(
      process.execPath,
      ['build/tools/with-electron-node.mjs', 'tsx', 'build/tools/key3.ts', 'conformance', path],
      { cwd: ROOT },
    ).then(
      () => undefined,
      (e: unknown) => e as { code: number; stdout: string; stderr: string },
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toContain('cannot read');
  }, 60_000);

  it('in process: usage errors and bad files exit 2; a good file exits 0', async () => {
    const io = () => {
      const out: string[] = [];
      const err: string[] = [];
      return {
        out,
        err,
        io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) },
      };
    };
    const cases: [string[], number][] = [
      [[], 2],
      [['frobnicate'], 2],
      [['conformance'], 2],
      [['conformance', 'a', 'b'], 2],
      [['conformance', join(dir, 'missing.json')], 2],
      [['help'], 0],
    ];
    for (const [argv, code] of cases) {
      const c = io();
      expect(await runCli(argv, c.io), argv.join(' ')).toBe(code);
      if (code === 2) expect(c.err.join('')).not.toBe('');
    }
    const notVectors = join(dir, 'not-vectors.json');
    await writeFile(notVectors, '{"meta": {}}');
    const c = io();
    expect(await runCli(['conformance', notVectors], c.io)).toBe(2);
    expect(c.err.join('')).toContain('not a vectors file');
    expect(c.out).toEqual([]);
    const weird = join(dir, 'weird.json');
    await writeFile(weird, JSON.stringify({ vectors: [{ id: 'x', kind: 'nope' }] }));
    const w = io();
    expect(await runCli(['conformance', weird], w.io)).toBe(0);
    expect(JSON.parse(w.out.join(''))).toEqual({
      vectors: [{ id: 'x', kind: 'nope', error: 'unknown kind: nope' }],
    });
  });
});

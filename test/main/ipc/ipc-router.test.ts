// The router over a small in-test service (a test peer implementing the contract's
// interface): validation before the service, no throws, no echo, event fan-out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIpcRouter, echoesSecret } from '../../../main/ipc/ipc-router';
import { COMMAND_NAMES, EVENTS } from '../../../shared/ipc/contract';
import { SNAPSHOT, peerService } from './peer-service';

describe('createIpcRouter', () => {
  it('runs each command of the table on its own service method, actions answer null', async () => {
    const peer = peerService();
    const router = createIpcRouter(peer.service);
    expect(await router.handle('getSnapshot', [])).toEqual({ ok: true, value: SNAPSHOT });
    expect(await router.handle('submitActivationCode', ['ST1', '123456'])).toEqual({
      ok: true,
      value: null,
    });
    expect(await router.handle('submitNewPin', ['ST1', '1234', '1234'])).toEqual({
      ok: true,
      value: null,
    });
    expect(await router.handle('submitPin', ['ST1', '1234'])).toEqual({ ok: true, value: null });
    expect(await router.handle('changePin', ['ST1', '1111', '2222', '2222'])).toEqual({
      ok: true,
      value: null,
    });
    expect(await router.handle('cancelPrompt', ['ST1'])).toEqual({ ok: true, value: null });
    expect(await router.handle('setServerUrl', [null])).toEqual({ ok: true, value: null });
    expect(await router.handle('checkServer', ['https://h.example'])).toEqual({
      ok: true,
      value: null,
    });
    expect(peer.calls).toEqual([
      { name: 'submitActivationCode', args: ['ST1', '123456'] },
      { name: 'submitNewPin', args: ['ST1', '1234', '1234'] },
      { name: 'submitPin', args: ['ST1', '1234'] },
      { name: 'changePin', args: ['ST1', '1111', '2222', '2222'] },
      { name: 'cancelPrompt', args: ['ST1'] },
      { name: 'setServerUrl', args: [null] },
      { name: 'checkServer', args: ['https://h.example'] },
    ]);
  });

  it('arbitrary calls never throw, never reach the service unless valid', async () => {
    const peer = peerService();
    const router = createIpcRouter(peer.service);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...COMMAND_NAMES), fc.string(), fc.anything()),
        fc.oneof(fc.array(fc.oneof(fc.string(), fc.anything()), { maxLength: 5 }), fc.anything()),
        async (name, args) => {
          const before = peer.calls.length;
          const result = await router.handle(name, args);
          if (!result.ok) expect(peer.calls.length).toBe(before);
          else expect(COMMAND_NAMES).toContain(name);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a length error on a code never reaches the service', async () => {
    const peer = peerService();
    const router = createIpcRouter(peer.service);
    const result = await router.handle('submitActivationCode', ['ST1', '12345']);
    expect(result).toEqual({
      ok: false,
      error: { code: 'INPUT_CODE_TOO_SHORT', message: expect.any(String) as string },
    });
    expect(JSON.stringify(result)).not.toContain('12345');
    expect(peer.calls).toEqual([]);
  });

  it('a service that throws or answers garbage becomes IPC_INTERNAL', async () => {
    const router = createIpcRouter(
      peerService((name) => {
        if (name === 'submitPin') throw new Error('boom 1234');
        if (name === 'cancelPrompt') return Promise.reject(new Error('x'));
        return 42;
      }).service,
    );
    for (const [name, args] of [
      ['submitPin', ['ST1', '1234']],
      ['cancelPrompt', ['ST1']],
      ['checkServer', ['https://h.example']],
    ] as const) {
      const result = await router.handle(name, args);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('IPC_INTERNAL');
      expect(JSON.stringify(result)).not.toContain('boom');
    }
  });

  it('keeps only {code, message} of a service error and never echoes a submitted secret', async () => {
    const router = createIpcRouter(
      peerService((name, args) => ({
        ok: false,
        error: {
          code: name === 'changePin' ? `BAD_${String(args[2])}` : 'KEY_WRONG_PIN',
          message: `Wrong PIN ${String(args[1])}. 2 attempts left.`,
          stack: 'secret stack',
          pin: args[1],
        },
      })).service,
    );
    const wrong = await router.handle('submitPin', ['ST1', '4821']);
    expect(wrong).toEqual({
      ok: false,
      error: { code: 'KEY_WRONG_PIN', message: 'The companion could not complete the request.' },
    });
    const changed = await router.handle('changePin', ['ST1', '1111', '98765', '98765']);
    expect(JSON.stringify(changed)).not.toMatch(/1111|98765|stack/);
    expect(!changed.ok && changed.error.code).toBe('IPC_INTERNAL');

    const plain = createIpcRouter(
      peerService(() => ({ ok: false, error: { code: 602, message: '2 attempts left.' } })).service,
    );
    expect(await plain.handle('submitPin', ['ST1', '4821'])).toEqual({
      ok: false,
      error: { code: 602, message: '2 attempts left.' },
    });
  });

  it('echoesSecret finds a secret as a digit run, not inside unrelated numbers', () => {
    expect(echoesSecret('code 123456 wrong', ['123456'])).toBe(true);
    expect(echoesSecret('code x1234567y', ['123456'])).toBe(true);
    expect(echoesSecret('3 attempts left', ['1234'])).toBe(false);
    expect(echoesSecret('1 attempt left', ['1'])).toBe(true);
    expect(echoesSecret('anything', [])).toBe(false);
  });

  it('fans events out to every listener, survives a failing one, stops after dispose', () => {
    const peer = peerService();
    const router = createIpcRouter(peer.service);
    const seen: string[] = [];
    router.onEvent(() => {
      throw new Error('dead window');
    });
    const off = router.onEvent((e) => seen.push(`a:${e.name}`));
    router.onEvent((e) => {
      seen.push(`b:${e.name}`);
      expect(EVENTS[e.name].safeParse(e.payload).success).toBe(true);
    });
    for (const l of peer.snapshotListeners) l(SNAPSHOT);
    for (const l of peer.noticeListeners) l({ serialNo: 'ST1', kind: 'locked', severity: 'error' });
    off();
    for (const l of peer.snapshotListeners) l(SNAPSHOT);
    expect(seen).toEqual(['a:snapshot', 'b:snapshot', 'a:notice', 'b:notice', 'b:snapshot']);
    router.dispose();
    expect(peer.snapshotListeners.size).toBe(0);
    expect(peer.noticeListeners.size).toBe(0);
  });
});

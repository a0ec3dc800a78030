// Checking and setting the server address through the IPC router: the check really
// asks the address (SignalR negotiate) without switching to it; failures come back in
// the user's terms, never echoing the address.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startIpcRig, type IpcRig } from './ipc-rig';

let c: IpcRig | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

/** A port nobody listens on (bound, read, closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

describe('the server address', () => {
  it('checkServer asks the address: the stand-in answers, a closed port does not, a bad address is refused', async () => {
    c = await startIpcRig(1);
    const rig = c;
    const before = rig.hes.serverUrl;
    expect(await rig.call('checkServer', rig.rig.server.url)).toEqual({ ok: true, value: null });

    const down = `http://127.0.0.1:${await closedPort()}`;
    const refused = await rig.call('checkServer', down);
    expect(refused).toMatchObject({ ok: false, error: { code: 'WORKFLOW_SERVER_UNREACHABLE' } });
    expect(JSON.stringify(refused)).not.toContain(down);

    expect(await rig.call('checkServer', 'ftp://example')).toMatchObject({
      ok: false,
      error: { code: 'INPUT_URL_INVALID' },
    });
    // The cloud metadata address is never asked, and the user is told why in their terms.
    const metadata = await rig.call('checkServer', 'http://169.254.169.254');
    expect(metadata).toMatchObject({ ok: false, error: { code: 'INPUT_URL_NOT_ALLOWED' } });
    expect(JSON.stringify(metadata)).not.toContain('169.254');
    // A check never switches servers.
    expect(rig.hes.serverUrl).toBe(before);
    expect(rig.hes.state.state).toBe('connected');
  });

  it('setServerUrl to an address where nothing answers is refused and keeps the current server', async () => {
    c = await startIpcRig(1);
    const rig = c;
    const before = rig.hes.serverUrl;
    const answer = await rig.call('setServerUrl', `http://127.0.0.1:${await closedPort()}`);
    expect(answer).toMatchObject({ ok: false, error: { code: 'WORKFLOW_SERVER_UNREACHABLE' } });
    expect(rig.hes.serverUrl).toBe(before);
    expect(rig.hes.state.state).toBe('connected');
  });
});

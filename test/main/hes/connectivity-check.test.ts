// The server check against real HTTP servers: it asks the negotiate question, sends the
// workstation id only to the configured server's origin, never follows a redirect, and refuses
// link-local and metadata addresses (literal, IPv4-mapped, or by name) unless allowed.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { refusedKind } from '../../../main/hes/address-policy';
import { checkConnectivity } from '../../../main/hes/connectivity-check';
import { isHesError } from '../../../main/hes/hes-error';
import { parseServerUrl } from '../../../main/hes/server-url';
import { startClient, stopClients, WORKSTATION_ID } from './client-harness';

const servers: Server[] = [];
afterEach(async () => {
  await stopClients();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server answering negotiate (or a redirect), recording each request's headers. */
async function negotiateServer(
  answer: 'negotiate' | 'redirect' = 'negotiate',
): Promise<{ port: number; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    // The started client's own SignalR connection is not the check.
    if (!String(req.headers['user-agent'] ?? '').includes('SignalR')) seen.push(req.headers);
    if (answer === 'redirect') {
      res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ connectionId: 'c1', availableTransports: [] }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, seen };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('the server check', () => {
  it('sends the workstation id to the configured server only, never to another origin', async () => {
    const configured = await negotiateServer();
    const other = await negotiateServer();
    const h = startClient(`http://127.0.0.1:${configured.port}`);
    await h.client.checkServer(`http://127.0.0.1:${configured.port}/`);
    await h.client.checkServer(`http://127.0.0.1:${other.port}`);
    // Same host, another port: another origin.
    await h.client.checkServer(`http://localhost:${configured.port}`);
    expect(configured.seen[0]?.['workstationid']).toBe(WORKSTATION_ID);
    expect(other.seen[0]?.['workstationid']).toBeUndefined();
    expect(configured.seen[1]?.['workstationid']).toBeUndefined();
    // Nothing else identifying either.
    for (const headers of [...other.seen, configured.seen[1]]) {
      expect(Object.keys(headers ?? {}).sort()).toEqual(
        ['connection', 'content-length', 'content-type', 'host'].sort(),
      );
    }
    // Not configured: nobody gets the id.
    const unconfigured = startClient(undefined);
    await unconfigured.client.checkServer(`http://127.0.0.1:${other.port}`);
    expect(other.seen[1]?.['workstationid']).toBeUndefined();
  });

  it('never follows a redirect (to a metadata address or anywhere)', async () => {
    const redirecting = await negotiateServer('redirect');
    const error = await failure(
      checkConnectivity(parseServerUrl(`http://127.0.0.1:${redirecting.port}`)),
    );
    expect(isHesError(error) && error.reason === 'unreachable').toBe(true);
    expect((error as Error).message).toContain('negotiate answered HTTP 307');
  });

  it('refuses link-local and metadata addresses before connecting, unless allowed', async () => {
    const h = startClient(undefined);
    for (const address of [
      'http://169.254.169.254',
      'http://169.254.10.20:5000/hes',
      'https://[fe80::1]',
      'http://[::ffff:169.254.169.254]',
      'http://[fd00:ec2::254]',
      'http://100.100.100.200',
      'http://metadata.google.internal',
      'http://METADATA.GOOGLE.INTERNAL./computeMetadata',
      'http://0.0.0.0:5000',
    ]) {
      const error = await failure(h.client.checkServer(address));
      expect(isHesError(error), address).toBe(true);
      expect(error, address).toMatchObject({
        code: 603,
        reason: 'invalidServerUrl',
        details: { refused: expect.any(String) as unknown },
      });
      // setServerUrl runs the same check: the address is not taken either.
      expect(isHesError(await failure(h.client.setServerUrl(address))), address).toBe(true);
      expect(h.client.serverUrl).toBeUndefined();
    }
    // Private and loopback addresses are HES's usual homes: not refused by the policy.
    for (const ip of ['10.0.0.5', '192.168.1.10', '172.16.0.1', '127.0.0.1', '::1', 'fd12::1']) {
      expect(refusedKind(ip), ip).toBeUndefined();
    }
  });

  it('checks an allowed link-local address (HIDEEZ_HES_ALLOW_ADDRESSES or the option)', async () => {
    const h = startClient(undefined, {
      allowedAddresses: ['169.254.10.20'],
      connectivityTimeoutMs: 300,
    });
    // Allowed: the check connects (nothing answers there: unreachable, not refused).
    const error = await failure(h.client.checkServer('http://169.254.10.20:9'));
    expect(error).toMatchObject({ reason: 'unreachable' });
    // Another link-local address is still refused.
    expect(await failure(h.client.checkServer('http://169.254.10.21:9'))).toMatchObject({
      reason: 'invalidServerUrl',
    });
    const fromEnv = process.env['HIDEEZ_HES_ALLOW_ADDRESSES'];
    process.env['HIDEEZ_HES_ALLOW_ADDRESSES'] = ' 169.254.10.21 , metadata.google.internal';
    try {
      const e = startClient(undefined, { connectivityTimeoutMs: 300 });
      expect(await failure(e.client.checkServer('http://169.254.10.21:9'))).toMatchObject({
        reason: 'unreachable',
      });
    } finally {
      if (fromEnv === undefined) delete process.env['HIDEEZ_HES_ALLOW_ADDRESSES'];
      else process.env['HIDEEZ_HES_ALLOW_ADDRESSES'] = fromEnv;
    }
  });
});

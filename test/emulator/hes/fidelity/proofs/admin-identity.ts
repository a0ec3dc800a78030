// Proofs of the admin API's login and authorization rows (6.19, 6.20): HES's
// IdentityController.Login and its cookie events, over real HTTP against a started stand-in.
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { Role, SESSION_COOKIE } from '../../../../../emulator/hes/rest/admin-identity';
import { adminWorld } from './admin-world';
import type { ProofMap } from './proof';

interface Reply {
  readonly status: number;
  readonly text: string;
  readonly cookie: string | undefined;
  readonly setCookie: string | null;
}

async function call(
  url: string,
  method: string,
  path: string,
  init: { body?: string; cookie?: string | undefined; type?: string } = {},
): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      'content-type': init.type ?? 'application/json',
      ...(init.cookie ? { cookie: init.cookie } : {}),
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const setCookie = response.headers.get('set-cookie');
  return {
    status: response.status,
    text: await response.text(),
    cookie: setCookie?.split(';', 1)[0],
    setCookie,
  };
}

const login = (url: string, body: unknown): Promise<Reply> =>
  call(url, 'POST', '/api/Identity/Login', { body: JSON.stringify(body) });

export const IDENTITY_PROOFS: ProofMap = {
  '6.19': async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const world = await adminWorld(0, { now: () => now });
    const { url, admin } = world.server;
    const credentials = JSON.parse(await readFile(admin.credentialsFile, 'utf8')) as {
      email: string;
      password: string;
    };
    // HES's seeded administrator's address; the password is the file's, not HES's "admin".
    expect(credentials.email).toBe('admin@hideez.com');
    expect((await login(url, { email: 'admin@hideez.com', password: 'admin' })).status).toBe(401);

    // 200, an empty body and ASP.NET Identity's cookie (HttpOnly; SameSite=Strict on purpose).
    const ok = await login(url, { Email: 'ADMIN@hideez.com', password: credentials.password });
    expect(ok).toMatchObject({ status: 200, text: '' });
    expect(ok.cookie?.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    expect(ok.setCookie).toMatch(/; path=\/; samesite=strict; httponly$/);
    expect(
      (await call(url, 'GET', '/api/Employees/GetEmployees', { cookie: ok.cookie })).status,
    ).toBe(200);

    // HES's refusals: an unknown address or a wrong password 401 {error: "Unauthorized"}; a
    // null body 400 {error: "CredentialsNull"}; no body: the [ApiController] 400.
    const unauthorized = JSON.stringify({ error: 'Unauthorized' });
    expect(await login(url, { email: 'nobody@corp.example', password: 'x' })).toMatchObject({
      status: 401,
      text: unauthorized,
      cookie: undefined,
    });
    expect(await login(url, null)).toMatchObject({
      status: 400,
      text: JSON.stringify({ error: 'CredentialsNull' }),
    });
    expect((await call(url, 'POST', '/api/Identity/Login')).status).toBe(400);
    // A login is a JSON body: the form a web page could post cross-site is 415.
    expect(
      (
        await call(url, 'POST', '/api/Identity/Login', {
          body: `email=${credentials.email}&password=${credentials.password}`,
          type: 'application/x-www-form-urlencoded',
        })
      ).status,
    ).toBe(415);

    // Lockout (HES's IdentityOptions): the 10th wrong password in a row locks the user out for
    // 15 minutes, the right password included; then it signs in again.
    const wrong = { email: credentials.email, password: 'wrong' };
    for (let i = 1; i < 10; i++) expect((await login(url, wrong)).text).toBe(unauthorized);
    const locked = JSON.stringify({ error: 'UserIsLockedout' });
    expect(await login(url, wrong)).toMatchObject({ status: 401, text: locked });
    expect(await login(url, credentials)).toMatchObject({ status: 401, text: locked });
    now = new Date(now.getTime() + 14 * 60_000);
    expect((await login(url, credentials)).text).toBe(locked);
    now = new Date(now.getTime() + 60_000 + 1);
    expect((await login(url, credentials)).status).toBe(200);
    // A success resets the count: nine more failures do not lock.
    for (let i = 1; i < 10; i++) expect((await login(url, wrong)).text).toBe(unauthorized);
    expect((await login(url, credentials)).status).toBe(200);
  },

  '6.20': async () => {
    const world = await adminWorld(0);
    const { url, admin } = world.server;
    const credentials = JSON.parse(await readFile(admin.credentialsFile, 'utf8')) as {
      email: string;
      password: string;
    };
    world.server.identity.addUser({
      email: 'user@corp.example',
      password: 'user-password',
      role: Role.User,
    });
    const user = (await login(url, { email: 'user@corp.example', password: 'user-password' }))
      .cookie;
    const administrator = (await login(url, credentials)).cookie;
    expect(user).toBeDefined();

    // Every data route: 401 without a session, 403 for a non-administrator, both with no body
    // on HES's routes (its cookie events set the status only); the extras say why, typed.
    const routes: [string, string][] = [
      ['GET', '/api/Employees/GetEmployees'],
      ['GET', '/api/HardwareVaults/GetHardwareVaults'],
      ['GET', '/api/Workstations/GetWorkstations'],
      ['POST', '/api/Workstations/LockAllWorkstations'],
      ['GET', '/api/Audit/GetEvents'],
      ['GET', '/api/OrgStructure/GetCompanies'],
    ];
    for (const [method, path] of routes) {
      expect(await call(url, method, path), path).toMatchObject({ status: 401, text: '' });
      expect(await call(url, method, path, { cookie: user }), path).toMatchObject({
        status: 403,
        text: '',
      });
      expect(
        (await call(url, method, path, { cookie: `${SESSION_COOKIE}=forged` })).status,
        path,
      ).toBe(401);
    }
    expect(JSON.parse((await call(url, 'GET', '/api/standin/Alarm')).text)).toMatchObject({
      error: 'Unauthorized',
    });
    expect(
      JSON.parse((await call(url, 'POST', '/api/standin/Alarm/On', { cookie: user })).text),
    ).toMatchObject({ error: 'Forbidden' });
    // Nothing changed for the refused calls.
    const alarm = await call(url, 'GET', '/api/standin/Alarm', { cookie: administrator });
    expect(JSON.parse(alarm.text)).toMatchObject({ isAlarm: false });

    // As HES's endpoint routing: no route is 404 and a wrong method 405 before any check; a body
    // is not read before the session is checked (an oversized one is still 401, not 413).
    expect((await call(url, 'GET', '/api/Nothing/Here')).status).toBe(404);
    expect((await call(url, 'GET', '/api/Workstations/LockAllWorkstations')).status).toBe(405);
    expect(
      (
        await call(url, 'POST', '/api/Employees/CreateEmployee', {
          body: JSON.stringify({ firstName: 'x'.repeat(2 * 1024 * 1024) }),
        })
      ).status,
    ).toBe(401);

    // The administrator's alarm carries the administrator's e-mail, as HES's does.
    expect(
      (await call(url, 'POST', '/api/Workstations/LockAllWorkstations', { cookie: administrator }))
        .status,
    ).toBe(200);
    const state = await call(url, 'GET', '/api/standin/Alarm', { cookie: administrator });
    expect(JSON.parse(state.text)).toMatchObject({ isAlarm: true, adminName: credentials.email });
  },
};

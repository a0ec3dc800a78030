// HES's IdentityController.Login, the one anonymous route: `{email, password, otp}` signs in
// and answers 200 with the session cookie; a null body is 400 {error: "CredentialsNull"}; an
// unknown address or a wrong password 401 {error: "Unauthorized"}, a locked-out user 401
// {error: "UserIsLockedout"} (HES's texts). No user has two-factor sign-in, so `otp` is unused.
import type { AdminIdentity } from './admin-identity';
import { sessionSetCookie } from './admin-identity';
import { HesDto } from './hes-dto';
import { HesReply } from './hes-replies';
import type { Route } from './route-types';

const JSON_TYPE = 'application/json; charset=utf-8';

const refused = (status: 400 | 401, error: string): HesReply =>
  new HesReply(status, { error }, JSON_TYPE);

export function identityRoutes(identity: AdminIdentity): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/Identity/Login',
      hes: true,
      anonymous: true,
      run: ({ body }) => {
        if (body === null) throw refused(400, 'CredentialsNull');
        const dto = new HesDto(body, 'HES.Core.Models.API.Identity.LoginDto');
        const email = dto.string('Email') ?? '';
        const password = dto.string('Password') ?? '';
        dto.string('Otp');
        dto.done();
        const result = identity.signIn(email, password);
        if (result.outcome === 'lockedOut') throw refused(401, 'UserIsLockedout');
        if (result.outcome !== 'ok') throw refused(401, 'Unauthorized');
        return { status: 200, body: undefined, setCookie: sessionSetCookie(result.cookie) };
      },
    },
  ];
}

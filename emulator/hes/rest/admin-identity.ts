// Who may use the admin REST API, as HES's ASP.NET Identity decides it: users with a role
// (HES seeds one Administrator), a password sign-in that locks the user out for 15 minutes
// after 10 failures in a row (HES's IdentityOptions), and a session cookie. Kept in memory:
// a restart signs everyone out (HES's cookies would survive it; nothing tests rely on that).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** HES's roles (ApplicationRoles). */
export const Role = { Administrator: 'Administrator', User: 'User' } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** ASP.NET Identity's application cookie, HES's session. */
export const SESSION_COOKIE = '.AspNetCore.Identity.Application';
export const MAX_FAILED_ACCESS_ATTEMPTS = 10;
export const LOCKOUT_MS = 15 * 60_000;
/** ASP.NET's cookie lifetime (14 days). */
export const SESSION_MS = 14 * 24 * 60 * 60_000;
/** Sessions kept at most; the oldest goes first (memory stays bounded under repeated logins). */
export const MAX_SESSIONS = 1000;

export interface SignedInUser {
  readonly email: string;
  readonly role: Role;
}

export type SignInResult =
  | { readonly outcome: 'ok'; readonly cookie: string }
  | { readonly outcome: 'unknownUser' | 'wrongPassword' | 'lockedOut' };

interface UserRecord extends SignedInUser {
  readonly salt: Buffer;
  readonly digest: Buffer;
  failed: number;
  lockoutEnd: number;
}

const digestOf = (salt: Buffer, password: string): Buffer =>
  createHash('sha256').update(salt).update(password, 'utf8').digest();

/** Identity compares normalised (upper-case) e-mail addresses. */
const normalised = (email: string): string => email.trim().toUpperCase();

export class AdminIdentity {
  private readonly users = new Map<string, UserRecord>();
  private readonly sessions = new Map<string, { user: SignedInUser; expires: number }>();

  /**
   * `now`: the clock of the lockout (the server's test clock). Sessions expire on the wall
   * clock, so a test that moves the server's date by weeks keeps its session.
   */
  constructor(private readonly now: () => number = Date.now) {}

  addUser(user: { email: string; password: string; role: Role }): void {
    const salt = randomBytes(16);
    this.users.set(normalised(user.email), {
      email: user.email,
      role: user.role,
      salt,
      digest: digestOf(salt, user.password),
      failed: 0,
      lockoutEnd: 0,
    });
  }

  /** HES's PasswordSignInAsync with lockoutOnFailure (no two-factor: no user has it). */
  signIn(email: string, password: string): SignInResult {
    const user = this.users.get(normalised(email));
    if (!user) return { outcome: 'unknownUser' };
    const now = this.now();
    if (user.lockoutEnd > now) return { outcome: 'lockedOut' };
    if (!timingSafeEqual(digestOf(user.salt, password), user.digest)) {
      user.failed += 1;
      if (user.failed < MAX_FAILED_ACCESS_ATTEMPTS) return { outcome: 'wrongPassword' };
      user.failed = 0;
      user.lockoutEnd = now + LOCKOUT_MS;
      return { outcome: 'lockedOut' };
    }
    user.failed = 0;
    const token = randomBytes(32).toString('base64url');
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    this.sessions.set(token, {
      user: { email: user.email, role: user.role },
      expires: Date.now() + SESSION_MS,
    });
    return { outcome: 'ok', cookie: token };
  }

  /** The user whose live session the Cookie header names, if any. */
  userOf(cookieHeader: string | undefined): SignedInUser | undefined {
    const token = sessionToken(cookieHeader);
    if (token === undefined) return undefined;
    const session = this.sessions.get(token);
    if (!session) return undefined;
    if (session.expires <= Date.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return session.user;
  }
}

function sessionToken(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** The Set-Cookie of a new session: HttpOnly as HES's; SameSite=Strict (HES: Lax) on purpose. */
export const sessionSetCookie = (token: string): string =>
  `${SESSION_COOKIE}=${token}; path=/; samesite=strict; httponly`;

import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import type { Config } from '../../config';
// The door to accounts/ (issue 11): what an account's session stands for. Used only inside loadSession's handler.
import { accountSessionFor } from '../../accounts';
import type { AccountActor, Actor } from '../auth/actor';
import {
  resumeStoredSession,
  startAccountSession,
  startSession,
  type SessionLifetime,
} from '../auth/session.service';
import { csrfTokenFor } from './csrf';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when the request carries a live Rounds session. */
    actor?: Actor;
    /** The live session's cookie token (what CSRF tokens are bound to); set with `actor` or `account`. */
    sessionToken?: string;
    /** Set when the request carries a live session of a Rounds account (issue 11). */
    account?: AccountActor;
  }
}

/**
 * The name of another Rounds cookie, with the same `__Host-` rule as the session's (see sessionCookieName):
 * `cookieName(config, 'signin')` is `__Host-rounds_signin` over HTTPS, `rounds_signin` on plain HTTP.
 */
export function cookieName(config: Config, base: string): string {
  return `${cookiesAreSecure(config) ? '__Host-' : ''}rounds_${base}`;
}

/** Cookies are `Secure` when they must cross sites (iframes) and whenever Rounds is served over HTTPS. */
function cookiesAreSecure(config: Config): boolean {
  return config.crossSiteCookies || new URL(config.publicUrl).protocol === 'https:';
}

/**
 * The session cookie's name, the one source of truth for everyone who reads it. Our own name: Moodle's
 * `MoodleSession` shares the host in dev, and cookies ignore ports. `__Host-` (RFC 6265bis §4.1.3.2) pins it to
 * this host with Path=/ and no Domain, so a sibling subdomain cannot plant one; browsers accept that prefix only
 * on Secure cookies, so plain-HTTP development keeps the bare name.
 */
export function sessionCookieName(config: Config): string {
  return cookiesAreSecure(config) ? '__Host-rounds_session' : 'rounds_session';
}

/**
 * Options for Rounds' cookies. Over HTTPS the tool is cross-site to the LMS and runs in its iframe, so cookies
 * must be `SameSite=None; Secure`, and `Partitioned` (CHIPS) lets browsers that block third-party cookies keep
 * them per top-level site. Plain-HTTP development is same-site with the sandbox, so `Lax` works
 * (`config.crossSiteCookies` decides; see config.ts). An https deployment that turned cross-site cookies off
 * still gets `Secure`.
 */
export function crossSiteCookieOptions(config: Config, maxAgeMs: number): CookieOptions {
  const crossSite = config.crossSiteCookies;
  return {
    httpOnly: true,
    path: '/',
    secure: cookiesAreSecure(config),
    sameSite: crossSite ? 'none' : 'lax',
    partitioned: crossSite,
    maxAge: maxAgeMs,
  };
}

/** The idle and absolute limits from config. */
function sessionLifetime(config: Config): SessionLifetime {
  return { idleHours: config.sessionIdleHours, absoluteHours: config.sessionAbsoluteHours };
}

/** Cookie options for the session: see crossSiteCookieOptions. The server enforces idle expiry; the cookie
 * itself lasts the absolute lifetime. */
export function sessionCookieOptions(config: Config): CookieOptions {
  return crossSiteCookieOptions(config, config.sessionAbsoluteHours * 3600 * 1000);
}

/**
 * Starts a session for the actor and sets its cookie. A session this browser already held ends with it (one
 * write): a new launch must not leave the previous person's (or role's) session alive behind it.
 */
export async function signIn(req: Request, res: Response, actor: Actor, config: Config): Promise<void> {
  const replacing = previousSessionToken(req, config);
  const token = await startSession(actor, sessionLifetime(config), undefined, replacing);
  res.cookie(sessionCookieName(config), token, sessionCookieOptions(config));
}

/** The token of the session this browser holds, if any (signed in or not: it may have expired). */
function previousSessionToken(req: Request, config: Config): string | undefined {
  const previous = (req.cookies as Record<string, unknown> | undefined)?.[sessionCookieName(config)];
  return typeof previous === 'string' && previous.length > 0 ? previous : undefined;
}

/**
 * Starts an account's session and sets its cookie. The browser's previous session (an LTI one, or another
 * account's) ends in the same write, so the session id always changes on sign-in.
 */
export async function signInAccount(
  req: Request,
  res: Response,
  accountId: string,
  factors: { mfaVerified: boolean },
  config: Config,
): Promise<void> {
  const replacing = previousSessionToken(req, config);
  const token = await startAccountSession(accountId, factors, sessionLifetime(config), replacing);
  res.cookie(sessionCookieName(config), token, sessionCookieOptions(config));
}

/** Clears the session cookie (its session was ended on the server). */
export function clearSessionCookie(res: Response, config: Config): void {
  const { maxAge: _maxAge, ...cookieOptions } = sessionCookieOptions(config);
  res.clearCookie(sessionCookieName(config), cookieOptions);
}

/**
 * Loads the actor from the session cookie, if any; never fails the request for a missing session. A live session
 * also gets its CSRF token into `res.locals`, for the sign-out form every page shows. An account's session sets
 * `req.account` (and `res.locals.account`), and `req.actor` too when the account administers exactly one tenant
 * (accounts.policy.ts administeredTenant), so the tenant-admin pages serve it.
 */
export function loadSession(config: Config): RequestHandler {
  const name = sessionCookieName(config);
  const lifetime = sessionLifetime(config);
  return async (req, res, next) => {
    const token = (req.cookies as Record<string, unknown> | undefined)?.[name];
    if (typeof token === 'string' && token.length > 0) {
      const resumed = await resumeStoredSession(token, lifetime);
      const { account, actor } =
        resumed?.kind === 'account'
          ? ((await accountSessionFor(resumed)) ?? {})
          : { account: undefined, actor: resumed?.actor };
      if (account) {
        req.account = account;
        res.locals.account = account;
      }
      if (actor) {
        req.actor = actor;
        res.locals.actor = actor;
      }
      if (account || actor) {
        req.sessionToken = token;
        res.locals.csrfToken = csrfTokenFor(req, config.sessionSecret);
      }
    }
    next();
  };
}

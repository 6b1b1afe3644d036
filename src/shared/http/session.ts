import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import type { Config } from '../../config';
import type { Actor } from '../auth/actor';
import { resumeSession, startSession, type SessionLifetime } from '../auth/session.service';
import { csrfTokenFor } from './csrf';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when the request carries a live Rounds session. */
    actor?: Actor;
    /** The live session's cookie token (what CSRF tokens are bound to); set with `actor`. */
    sessionToken?: string;
  }
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
  const name = sessionCookieName(config);
  const previous = (req.cookies as Record<string, unknown> | undefined)?.[name];
  const replacing = typeof previous === 'string' && previous.length > 0 ? previous : undefined;
  const token = await startSession(actor, sessionLifetime(config), undefined, replacing);
  res.cookie(name, token, sessionCookieOptions(config));
}

/**
 * Loads the actor from the session cookie, if any; never fails the request for a missing session. A live session
 * also gets its CSRF token into `res.locals`, for the sign-out form every page shows.
 */
export function loadSession(config: Config): RequestHandler {
  const name = sessionCookieName(config);
  const lifetime = sessionLifetime(config);
  return async (req, res, next) => {
    const token = (req.cookies as Record<string, unknown> | undefined)?.[name];
    if (typeof token === 'string' && token.length > 0) {
      const actor = await resumeSession(token, lifetime);
      if (actor) {
        req.actor = actor;
        req.sessionToken = token;
        res.locals.actor = actor;
        res.locals.csrfToken = csrfTokenFor(req, config.sessionSecret);
      }
    }
    next();
  };
}

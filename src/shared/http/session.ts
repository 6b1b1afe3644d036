import type { CookieOptions, RequestHandler, Response } from 'express';
import type { Config } from '../../config';
import type { Actor } from '../auth/actor';
import { resumeSession, startSession } from '../auth/session.service';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when the request carries a live Rounds session. */
    actor?: Actor;
  }
}

/** Our own name: Moodle's `MoodleSession` shares the host in dev, and cookies ignore ports. */
export const sessionCookieName = 'rounds_session';

/**
 * Options for Rounds' cookies. Over HTTPS the tool is cross-site to the LMS and runs in its iframe, so cookies
 * must be `SameSite=None; Secure`, and `Partitioned` (CHIPS) lets browsers that block third-party cookies keep
 * them per top-level site. Plain-HTTP development is same-site with the sandbox, so `Lax` works
 * (`config.crossSiteCookies` decides; see config.ts).
 */
export function crossSiteCookieOptions(config: Config, maxAgeMs: number): CookieOptions {
  const crossSite = config.crossSiteCookies;
  return {
    httpOnly: true,
    path: '/',
    secure: crossSite,
    sameSite: crossSite ? 'none' : 'lax',
    partitioned: crossSite,
    maxAge: maxAgeMs,
  };
}

/** Cookie options for the session: see crossSiteCookieOptions; it lives as long as the idle limit. */
export function sessionCookieOptions(config: Config): CookieOptions {
  return crossSiteCookieOptions(config, config.sessionIdleHours * 3600 * 1000);
}

/** Starts a session for the actor and sets its cookie on the response. */
export async function signIn(res: Response, actor: Actor, config: Config): Promise<void> {
  const token = await startSession(actor, config.sessionIdleHours);
  res.cookie(sessionCookieName, token, sessionCookieOptions(config));
}

/** Loads the actor from the session cookie, if any; never fails the request for a missing session. */
export function loadSession(config: Config): RequestHandler {
  return async (req, res, next) => {
    const token = req.cookies?.[sessionCookieName];
    if (typeof token === 'string' && token.length > 0) {
      const actor = await resumeSession(token, config.sessionIdleHours);
      if (actor) {
        req.actor = actor;
        res.locals.actor = actor;
      }
    }
    next();
  };
}

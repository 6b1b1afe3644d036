import { Router } from 'express';
import type { Config } from '../config';
import { endSession } from '../shared/auth/session.service';
import { ForbiddenError, UnauthorizedError } from '../shared/errors';
import { sessionCookieName, sessionCookieOptions } from '../shared/http/session';

/**
 * Sign-out: ends the session and clears its cookie, then 303 to a page saying so. The cookie is `SameSite=None`
 * inside LMS iframes, so a form posted from another site would carry it: the browser must say the form came from
 * Rounds itself. `Sec-Fetch-Site` decides; Origin is `null` on POSTs under Rounds' `Referrer-Policy: no-referrer`,
 * so it only counts for browsers without Fetch Metadata.
 */
export function signOutRouter(config: Config): Router {
  const router = Router();
  const ownOrigin = new URL(config.publicUrl).origin;

  router.post('/signout', async (req, res) => {
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    const crossSite = site
      ? site !== 'same-origin'
      : origin !== undefined && origin !== 'null' && origin !== ownOrigin;
    if (crossSite) throw new ForbiddenError('Sign out from Rounds itself.');
    const token = (req.cookies as Record<string, unknown> | undefined)?.[sessionCookieName];
    if (!req.actor || typeof token !== 'string')
      throw new UnauthorizedError('You were not signed in to Rounds.');
    await endSession(token);
    const { maxAge: _maxAge, ...cookieOptions } = sessionCookieOptions(config);
    res.clearCookie(sessionCookieName, cookieOptions);
    res.redirect(303, '/signed-out');
  });

  router.get('/signed-out', (_req, res) => {
    res.render('signed-out', { title: 'Signed out' });
  });
  return router;
}

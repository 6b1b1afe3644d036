import { Router } from 'express';
import type { Config } from '../config';
import { endSession } from '../shared/auth/session.service';
import { ForbiddenError, UnauthorizedError } from '../shared/errors';
import { hasValidCsrfToken, requestSite } from '../shared/http/csrf';
import { sessionCookieName, sessionCookieOptions } from '../shared/http/session';

/**
 * Sign-out: ends the session and clears its cookie, then 303 to a page saying so. The cookie is `SameSite=None`
 * inside LMS iframes, so a form posted from another site would carry it. A browser that says the form came from
 * another site is refused outright; and since Origin is `null` on POSTs under Rounds' `Referrer-Policy:
 * no-referrer` (and absent from some clients), the form's CSRF token must match this session in every case.
 */
export function signOutRouter(config: Config): Router {
  const router = Router();
  const ownOrigin = new URL(config.publicUrl).origin;
  const cookieName = sessionCookieName(config);

  router.post('/signout', async (req, res) => {
    if (requestSite(req, ownOrigin) === 'cross-origin')
      throw new ForbiddenError('Sign out from Rounds itself.');
    if ((!req.actor && !req.account) || !req.sessionToken)
      throw new UnauthorizedError('You were not signed in to Rounds.');
    if (!hasValidCsrfToken(req, config.sessionSecret)) {
      throw new ForbiddenError('This form has expired. Go back, reload the page and try again.');
    }
    await endSession(req.sessionToken);
    const { maxAge: _maxAge, ...cookieOptions } = sessionCookieOptions(config);
    res.clearCookie(cookieName, cookieOptions);
    res.redirect(303, '/signed-out');
  });

  router.get('/signed-out', (_req, res) => {
    res.render('signed-out', { title: 'Signed out' });
  });
  return router;
}

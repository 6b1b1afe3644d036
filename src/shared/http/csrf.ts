import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ForbiddenError } from '../errors';
import { sessionCookieName } from './session';

/**
 * The form token for this browser's session: an HMAC of the session cookie, so nothing is stored and it changes
 * with every new session. Cross-site LMS iframes need `SameSite=None` session cookies, so SameSite alone does
 * not stop another site from posting a form with them.
 */
export function csrfTokenFor(req: Request, secret: string): string {
  const session = (req.cookies as Record<string, unknown> | undefined)?.[sessionCookieName];
  return createHmac('sha256', secret)
    .update(`csrf:${typeof session === 'string' ? session : ''}`)
    .digest('base64url');
}

/**
 * Sets `res.locals.csrfToken` for forms to send back as `_csrf`; a POST (or other unsafe method) without the
 * right one gets 403. Mount after the body parser and the session loader.
 */
export function csrfProtection(secret: string): RequestHandler {
  return (req, res, next) => {
    const expected = csrfTokenFor(req, secret);
    res.locals.csrfToken = expected;
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const given = (req.body as Record<string, unknown> | undefined)?._csrf;
    const matches =
      typeof given === 'string' &&
      given.length === expected.length &&
      timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (matches) return next();
    next(new ForbiddenError('This form has expired. Go back, reload the page and try again.'));
  };
}

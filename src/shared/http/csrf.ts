import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ForbiddenError } from '../errors';
// Type only: the `sessionToken` field loadSession puts on the request.
import type {} from './session';

/**
 * The form token for this request's live session: an HMAC of its token, so nothing is stored, it changes with
 * every new session, and a token from one session is worthless in another. Cross-site LMS iframes need
 * `SameSite=None` session cookies, so SameSite alone does not stop another site from posting a form with them.
 */
export function csrfTokenFor(req: Request, secret: string): string {
  return createHmac('sha256', secret)
    .update(`csrf:${req.sessionToken ?? ''}`)
    .digest('base64url');
}

/** Whether the request's `_csrf` body field is this session's token (constant-time comparison). */
export function hasValidCsrfToken(req: Request, secret: string): boolean {
  // Without a session there is nothing to bind a token to: every anonymous visitor would share one.
  if (!req.sessionToken) return false;
  const expected = csrfTokenFor(req, secret);
  const given = (req.body as Record<string, unknown> | undefined)?._csrf;
  return (
    typeof given === 'string' &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}

/**
 * Sets `res.locals.csrfToken` for forms to send back as `_csrf`; a POST (or other unsafe method) without the
 * right one gets 403. Mount after the body parser and the session loader.
 */
export function csrfProtection(secret: string): RequestHandler {
  return (req, res, next) => {
    // loadSession already made it for the page's sign-out form.
    res.locals.csrfToken ??= csrfTokenFor(req, secret);
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (hasValidCsrfToken(req, secret)) return next();
    next(new ForbiddenError('This form has expired. Go back, reload the page and try again.'));
  };
}

/**
 * Where the browser says the request came from. Fetch Metadata's `Sec-Fetch-Site` decides when present (W3C Fetch
 * Metadata §2.1); older browsers send only `Origin`, compared with ours. `Origin: null` (opaque origins, sandboxed
 * frames, POSTs under `Referrer-Policy: no-referrer`) or no Origin at all proves nothing either way: 'unknown'.
 */
export function requestSite(req: Request, ownOrigin: string): 'same-origin' | 'cross-origin' | 'unknown' {
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin' ? 'same-origin' : 'cross-origin';
  const origin = req.get('origin');
  if (origin === undefined || origin === 'null') return 'unknown';
  return origin === ownOrigin ? 'same-origin' : 'cross-origin';
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config';
import { ForbiddenError } from '../shared/errors';
import { csrfTokenFor, hasValidCsrfToken } from '../shared/http/csrf';
import { cookieName, crossSiteCookieOptions } from '../shared/http/session';

/*
 * The sign-in, code and set-password pages are reached without a session, and Rounds' CSRF tokens are bound to
 * one (shared/http/csrf.ts). Here the form token is bound to a pre-session instead: a random, HttpOnly cookie
 * (`rounds_signin`, an hour) set on the form's GET, and the token is an HMAC of that cookie under
 * config.sessionSecret. Another site can make a browser send the cookie but can neither read it nor compute
 * the HMAC, so it cannot forge the form (a signed double-submit token, OWASP CSRF Prevention Cheat Sheet).
 */

const formCookieMs = 60 * 60_000;
/** How long a pending sign-in (password checked, code not yet) lasts. */
const pendingMs = 5 * 60_000;

function hmac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

function equalStrings(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function readCookie(req: Request, name: string): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The pre-session form protection: on GET it sets the `rounds_signin` cookie when missing and puts the form
 * token into `res.locals.signinCsrfToken` (and `csrfToken`, unless a live session's token is already there for
 * the header's sign-out form). An unsafe method needs `_csrf` to be either that token or the live session's own
 * (shared/http/csrf.ts), else 403.
 */
export function anonymousCsrf(config: Config): RequestHandler {
  const name = cookieName(config, 'signin');
  return (req, res, next) => {
    let browser = readCookie(req, name);
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (!browser || !/^[\w-]{43}$/.test(browser)) {
        browser = randomBytes(32).toString('base64url');
        res.cookie(name, browser, crossSiteCookieOptions(config, formCookieMs));
      }
      res.locals.signinCsrfToken = hmac(config.sessionSecret, `signin-form:${browser}`);
      res.locals.csrfToken ??= res.locals.signinCsrfToken;
      return next();
    }
    const given = (req.body as Record<string, unknown> | undefined)?._csrf;
    const expected = browser ? hmac(config.sessionSecret, `signin-form:${browser}`) : undefined;
    if (expected && typeof given === 'string' && equalStrings(given, expected)) {
      res.locals.signinCsrfToken = expected;
      res.locals.csrfToken ??= expected;
      return next();
    }
    if (hasValidCsrfToken(req, config.sessionSecret)) {
      res.locals.signinCsrfToken = csrfTokenFor(req, config.sessionSecret);
      return next();
    }
    next(new ForbiddenError('This form has expired. Go back, reload the page and try again.'));
  };
}

/**
 * Remembers a sign-in whose password was right and whose second factor is still to come: a cookie holding the
 * account id and its expiry, signed with config.sessionSecret and bound to this browser's pre-session cookie.
 */
export function setPendingSignIn(req: Request, res: Response, config: Config, accountId: string): void {
  const browser = readCookie(req, cookieName(config, 'signin')) ?? '';
  const expires = Date.now() + pendingMs;
  const value = `${accountId}.${expires}`;
  res.cookie(
    cookieName(config, 'signin_pending'),
    `${value}.${hmac(config.sessionSecret, `pending:${value}:${browser}`)}`,
    crossSiteCookieOptions(config, pendingMs),
  );
}

/** The account id of this browser's pending sign-in, when its cookie is genuine and fresh. */
export function pendingSignIn(req: Request, config: Config): string | undefined {
  const raw = readCookie(req, cookieName(config, 'signin_pending'));
  const browser = readCookie(req, cookieName(config, 'signin')) ?? '';
  const match = raw ? /^([0-9a-f]{24})\.(\d{1,15})\.([\w-]+)$/.exec(raw) : null;
  if (!match) return undefined;
  const [, accountId, expires, signature] = match;
  if (!equalStrings(signature!, hmac(config.sessionSecret, `pending:${accountId}.${expires}:${browser}`)))
    return undefined;
  return Number(expires) > Date.now() ? accountId : undefined;
}

/** Forgets the pending sign-in (done, or abandoned). */
export function clearPendingSignIn(res: Response, config: Config): void {
  const { maxAge: _maxAge, ...options } = crossSiteCookieOptions(config, 0);
  res.clearCookie(cookieName(config, 'signin_pending'), options);
}

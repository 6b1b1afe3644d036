import type { Request, RequestHandler, Response } from 'express';
import { clientAddress, sendTooManyRequests } from '../shared/http/rateLimit';

/** The most addresses one limiter remembers; past it the oldest window is forgotten (a flood cannot grow it). */
const maxKeys = 10_000;

/** Marks the request's attempt as failed: its place in the address's count is kept. */
export function countAsFailure(res: Response): void {
  res.locals.signinAttemptFailed = true;
}

/**
 * A per-client-address limit on FAILED attempts at one form (/signin, /signin/code or /set-password: each its
 * own), `limit` in every `windowMs` (a fixed window from the address's first counted failure). Every request takes
 * a place before it runs, so requests sent in parallel cannot all pass a check made before any failure is
 * counted; when its answer is sent, the place is given back unless the handler called countAsFailure. So the
 * colleagues behind one hospital NAT who sign in correctly never use it up, and a guess at one form does not cost
 * a place at another. In this process's memory, as shared/http/rateLimit.ts explains.
 */
export function failedAttemptLimit(options: { limit: number; windowMs: number }): RequestHandler {
  const windows = new Map<string, { start: number; count: number }>();
  const windowOf = (key: string, now: number) => {
    let window = windows.get(key);
    if (!window || now - window.start >= options.windowMs) {
      windows.delete(key);
      window = { start: now, count: 0 };
      windows.set(key, window);
      while (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
    }
    return window;
  };
  return (req: Request, res: Response, next) => {
    const key = clientAddress(req);
    const now = Date.now();
    const window = windowOf(key, now);
    if (window.count >= options.limit) {
      // The shared rateLimit() logs the path, which for /set-password/<token> is a secret: this logs the route.
      req.log?.warn({ client: key, route: req.route?.path as unknown }, 'sign-in rate-limited');
      const retryAfterSeconds = Math.max(1, Math.ceil((window.start + options.windowMs - now) / 1000));
      return sendTooManyRequests(req, res, retryAfterSeconds);
    }
    window.count += 1;
    res.on('finish', () => {
      if (res.locals.signinAttemptFailed === true) return;
      // Given back to the window it was taken from, if that window is still the address's current one.
      if (windows.get(key) === window && window.count > 0) window.count -= 1;
    });
    next();
  };
}

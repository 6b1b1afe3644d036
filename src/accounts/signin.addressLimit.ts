import type { Request, RequestHandler, Response } from 'express';
import { clientAddress, createRateLimiter, sendTooManyRequests } from '../shared/http/rateLimit';

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
  const limiter = createRateLimiter(options);
  return (req: Request, res: Response, next) => {
    const key = clientAddress(req);
    const { verdict, release } = limiter.take(key);
    if (!verdict.allowed) {
      // A refused request is no attempt: it takes no place.
      release();
      // The shared rateLimit() logs the path, which for /set-password/<token> is a secret: this logs the route.
      req.log?.warn({ client: key, route: req.route?.path as unknown }, 'sign-in rate-limited');
      return sendTooManyRequests(req, res, verdict.retryAfterSeconds);
    }
    res.on('finish', () => {
      if (res.locals.signinAttemptFailed !== true) release();
    });
    next();
  };
}

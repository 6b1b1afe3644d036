import { isIPv6 } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import { TooManyRequestsError } from '../errors';
import { ipv6Groups } from './addressGuard';
import { sendError } from './errorHandler';

/*
 * Request limits kept in this process's memory. Per-process is acceptable because the limits exist to stop one
 * client from filling the database or the CPU with unauthenticated requests, not to meter fair use: Rounds runs as
 * one process per installation (docker-compose), and a deployment of N instances behind a load balancer gets
 * per-instance limits, so at most N times the configured rate, which is still bounded. A shared store would add
 * a database write per request to the very endpoints being protected.
 */

/** The most keys a limiter remembers; past it the oldest window is forgotten, so a flood of keys cannot grow it. */
const defaultMaxKeys = 10_000;

export interface RateVerdict {
  allowed: boolean;
  /** Whole seconds until the key's window ends and it may try again (for `Retry-After`). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one request for `key` and says whether it is within the limit. */
  hit(key: string, now?: number): RateVerdict;
  /**
   * As `hit`, and `release` gives the request's place back to its window, if that window is still the key's
   * current one (a limit on failures: the place is kept only when the attempt failed).
   */
  take(key: string, now?: number): { verdict: RateVerdict; release(): void };
  /** How many keys it holds (for tests of the cap). */
  readonly size: number;
}

/**
 * A fixed-window counter per key: at most `limit` requests in each `windowMs` starting at the key's first
 * request. A client may burst up to twice the limit across a window boundary, which is fine for a flood guard.
 */
export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}): RateLimiter {
  const { limit, windowMs, maxKeys = defaultMaxKeys } = options;
  // A Map iterates in insertion order and a key is re-inserted when its window restarts, so the first entry is
  // always the oldest window: evicting it drops expired windows before live ones.
  const windows = new Map<string, { start: number; count: number }>();
  const take = (key: string, now = Date.now()) => {
    let window = windows.get(key);
    if (!window || now - window.start >= windowMs) {
      windows.delete(key);
      window = { start: now, count: 0 };
      windows.set(key, window);
      while (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
    }
    window.count += 1;
    const taken = window;
    return {
      verdict: {
        allowed: window.count <= limit,
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)),
      },
      release: () => {
        if (windows.get(key) === taken && taken.count > 0) taken.count -= 1;
      },
    };
  };
  return {
    hit: (key, now) => take(key, now).verdict,
    take,
    get size() {
      return windows.size;
    },
  };
}

/**
 * The client's address as a limit key: `req.ip` (X-Forwarded-For counts only from the hops TRUST_PROXY names), IPv4-mapped IPv6 as plain IPv4, and IPv6 cut to its /64, which one subscriber usually holds
 * whole (RFC 6177), so rotating addresses inside it does not reset the count.
 */
export function clientAddress(req: Request): string {
  const ip = (req.ip ?? req.socket.remoteAddress ?? '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const prefix = ipv6Groups(ip)
    .slice(0, 4)
    .map((group) => group.toString(16));
  return `${prefix.join(':')}::/64`;
}

/** Answers 429 with `Retry-After` (RFC 6585 §4), as the one error handler answers: a page, or `{error}` JSON. */
export function sendTooManyRequests(req: Request, res: Response, retryAfterSeconds: number): void {
  res.set('Retry-After', String(retryAfterSeconds)).set('Cache-Control', 'no-store');
  sendError(req, res, new TooManyRequestsError(), false);
}

/**
 * Middleware allowing `limit` requests per `windowMs` for each key (by default the client's address); the rest
 * get 429 and never reach the handler.
 */
export function rateLimit(options: {
  limit: number;
  windowMs: number;
  key?: (req: Request) => string;
  maxKeys?: number;
}): RequestHandler {
  const limiter = createRateLimiter(options);
  const keyOf = options.key ?? clientAddress;
  return (req, res, next) => {
    const verdict = limiter.hit(keyOf(req));
    if (verdict.allowed) return next();
    req.log?.warn({ client: clientAddress(req), path: req.path }, 'request rate-limited');
    sendTooManyRequests(req, res, verdict.retryAfterSeconds);
  };
}

/** Dynamic Registration per client address (it creates platform records and is unauthenticated). */
export function registrationRateLimit(config: { registrationRateLimitPerHour: number }): RequestHandler {
  return rateLimit({ limit: config.registrationRateLimitPerHour, windowMs: 3_600_000 });
}

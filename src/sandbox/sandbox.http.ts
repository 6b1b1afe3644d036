import type { ErrorRequestHandler, Request, Response } from 'express';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** Renders a sandbox view inside the sandbox layout; `basePath` lets views link within the mount point. */
export function renderSandboxPage(
  req: Request,
  res: Response,
  view: string,
  data: Record<string, unknown>,
): void {
  res.render(`sandbox/${view}`, { layout: 'sandbox', basePath: req.baseUrl, ...data });
}

/** An error page that names what is wrong; the sandbox never redirects an error anywhere (OIDC §3.1.2.6). */
export function renderSandboxError(
  req: Request,
  res: Response,
  status: number,
  title: string,
  message: string,
  parameter?: string,
): void {
  res.status(status);
  renderSandboxPage(req, res, 'error', { title, heading: title, message, parameter, status });
}

/** A refused authentication request: which parameter, and why (shown on a 400 page, never redirected). */
export class AuthRequestError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** The 400 page for a refused authentication request. */
export function renderAuthRequestRefusal(req: Request, res: Response, error: AuthRequestError): void {
  renderSandboxError(
    req,
    res,
    400,
    'Launch refused',
    `The tool's authentication request was refused: ${error.parameter} ${error.message}.`,
    error.parameter,
  );
}

/** Paths answered as a service (JSON), not as pages: the Advantage services and the token endpoint. */
function isServicePath(path: string): boolean {
  return /^\/(ags|nrps|token)(\/|$)/.test(path);
}

/** The sandbox router's own error handler, so it behaves the same whatever app mounts it. */
export function sandboxErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    let status = 500;
    let code = 'internal_error';
    let message = 'The sandbox LMS failed; see the server log.';
    if (error instanceof AppError) {
      ({ status, code } = error);
      if (error.expose) message = error.message;
    } else if (typeof (error as { status?: unknown }).status === 'number') {
      // body-parser errors: malformed JSON or form bodies, wrong charset, too large.
      status = (error as { status: number }).status;
      code = 'invalid_request';
      message = status < 500 ? (error as Error).message : message;
    }
    if (status >= 500) logger.error({ err: error, path: req.originalUrl }, 'sandbox request failed');
    if (isServicePath(req.path)) {
      res.status(status).json({ error: { code, message } });
      return;
    }
    renderSandboxError(req, res, status, status === 404 ? 'Not found' : 'Something went wrong', message);
  };
}

/**
 * Moodle-style paging for service collections: `limit` and `from` (an offset) in, a `Link: <…>; rel="next"`
 * header out (NRPS 2.0 §2.4.2, AGS 2.0 §3.2.3). The next URL keeps the request's other parameters.
 */
export function paginate<T>(req: Request, res: Response, issuer: string, items: T[]): T[] {
  const limit = integerParameter(req, 'limit', 1);
  const from = integerParameter(req, 'from', 0) ?? 0;
  if (limit === undefined) return items.slice(from);
  const page = items.slice(from, from + limit);
  if (from + limit < items.length) {
    const next = new URL(req.originalUrl, issuer);
    next.searchParams.set('from', String(from + limit));
    next.searchParams.set('limit', String(limit));
    res.set('Link', `<${next.toString()}>; rel="next"`);
  }
  return page;
}

/** A query parameter as an integer ≥ minimum, undefined when absent; 400 when malformed. */
export function integerParameter(req: Request, name: string, minimum: number): number | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new AppError(`${name}: must be an integer ≥ ${minimum}`, 400, 'invalid_request');
  }
  return value;
}

/** A single-valued string query parameter (repeated values are refused rather than guessed at). */
export function stringParameter(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new AppError(`${name}: give it once`, 400, 'invalid_request');
  return raw;
}

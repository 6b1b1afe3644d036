import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import mongoose from 'mongoose';
import { AppError, ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../errors';
import { isStaticAssetPath } from './requestLog';

/** Maps what libraries throw onto AppErrors; anything unknown stays a 500 that hides its message. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof mongoose.Error.CastError) return new ValidationError(`${error.path} is not valid`);
  if (error instanceof mongoose.Error.ValidationError) {
    const fields = Object.fromEntries(
      Object.entries(error.errors).map(([key, value]) => [key, value.message]),
    );
    return new ValidationError('Some fields are not valid', fields);
  }
  if (isDuplicateKey(error)) return new ConflictError('That record already exists.');
  if (error instanceof mongoose.mongo.MongoServerSelectionError) return new ServiceUnavailableError();
  const status = (error as { status?: unknown; statusCode?: unknown })?.status;
  // Errors from express' own body parsers carry a 4xx status and a safe message.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError((error as Error).message, status, 'bad_request', true);
  }
  return new AppError('Something went wrong on our side.', 500, 'internal_error', false);
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 11000;
}

const titles: Record<number, string> = {
  400: 'Please check what you sent',
  401: 'Please open Rounds from your course',
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'That already exists',
  429: 'Too many requests',
  503: 'Rounds is temporarily unavailable',
};

/** True when the client asked for JSON rather than a page. */
function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** Renders the error as an HTML page or `{error:{code,message}}`, by the request's Accept header. */
export function sendError(
  req: Request,
  res: Response,
  appError: AppError,
  showStack: boolean,
  cause?: unknown,
) {
  const requestId = String(req.id ?? '');
  const message = appError.expose ? appError.message : 'Something went wrong on our side.';
  res.status(appError.status);
  if (wantsJson(req)) {
    res.json({ error: { code: appError.code, message, requestId } });
    return;
  }
  res.render('errors/error', {
    title: appError.pageTitle ?? titles[appError.status] ?? 'Something went wrong',
    status: appError.status,
    message,
    requestId,
    stack: showStack && appError.status >= 500 && cause instanceof Error ? cause.stack : undefined,
  });
}

/**
 * The one error handler: logs 5xx as errors and 4xx as warnings (not a 404 of an icon or static file, which a
 * browser asks for on its own), answers in the client's format, no stack outside dev.
 */
export function errorHandler(options: { showStack: boolean }): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const appError = toAppError(error);
    if (appError.status >= 500) req.log?.error({ err: error }, 'request failed');
    else if (!(appError.status === 404 && isStaticAssetPath(req.originalUrl.split('?')[0]!))) {
      req.log?.warn({ code: appError.code, status: appError.status }, appError.message);
    }
    sendError(req, res, appError, options.showStack, error);
  };
}

/** The last route: anything unmatched is a 404 page. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError());

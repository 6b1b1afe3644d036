import type { RequestHandler } from 'express';
import type { CourseRole } from '../../tenancy';
import { ForbiddenError, UnauthorizedError } from '../errors';

/** Lets the request through only with a session whose role is one of `roles` (deny by default). */
export function requireRole(...roles: CourseRole[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.actor) return next(new UnauthorizedError());
    if (!roles.includes(req.actor.role)) return next(new ForbiddenError());
    next();
  };
}

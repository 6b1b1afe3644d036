import type { RequestHandler } from 'express';
import type { AccountRole } from '../shared/auth/actor';
import { ForbiddenError, UnauthorizedError } from '../shared/errors';
import { holdsRole, secondFactorStep } from './accounts.policy';

/**
 * Lets the request through only with an account session holding one of `roles` (any of them when none is
 * named); deny by default: 401 without an account session, 403 for an account without the role and for an LTI
 * session whatever its LMS role (accounts are a separate door) when roles are named.
 * A role that needs TOTP (operator, CME admin) without it checked in this session is sent to enrol
 * (/account/totp) or to the code challenge (/signin/code) first.
 */
export function requireAccount(...roles: AccountRole[]): RequestHandler {
  return (req, res, next) => {
    const account = req.account;
    // An LTI session on a page for named roles is someone signed in through the wrong door: forbidden. On a page
    // for any account (/account), it is asked to sign in to one.
    if (!account && req.actor && roles.length > 0) return next(new ForbiddenError());
    if (!account) return next(new UnauthorizedError('Sign in to your Rounds account to open this page.'));
    if (roles.length > 0 && !holdsRole(account, roles)) return next(new ForbiddenError());
    const step = secondFactorStep(account);
    if (step && roles.length > 0) return res.redirect(303, step);
    next();
  };
}

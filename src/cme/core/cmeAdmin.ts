import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors';
import { secondFactorStep } from '../../accounts';

/**
 * Who is doing CME administration: an LMS administrator launched from their LMS (course role admin), or a Rounds
 * account granted `cme-admin` for a tenant (after its required second factor). Always one tenant: theirs.
 */
export interface CmeAdmin {
  tenantId: string;
  name: string;
  /** For the ledger's audit fields. */
  recordedBy: { kind: 'lti-admin' | 'account'; id: string; name: string };
}

declare module 'express-serve-static-core' {
  interface Request {
    cmeAdmin?: CmeAdmin;
  }
}

/**
 * Lets through only a CME admin of a tenant (deny by default): 401 without a session, 403 for learners,
 * instructors and accounts without the grant; an account whose second factor is pending goes to it first.
 */
export function requireCmeAdmin(): RequestHandler {
  return (req, res, next) => {
    const account = req.account;
    if (account) {
      const grant = account.grants.find((item) => item.role === 'cme-admin' && item.tenantId);
      if (!grant) return next(new ForbiddenError('Only CME administrators can open this page.'));
      const step = secondFactorStep(account);
      if (step) return res.redirect(303, step);
      const name = account.name || account.email;
      req.cmeAdmin = {
        tenantId: grant.tenantId!,
        name,
        recordedBy: { kind: 'account', id: account.accountId, name },
      };
      return next();
    }
    const actor = req.actor;
    if (!actor)
      return next(new UnauthorizedError('Open Rounds from your LMS, or sign in to your Rounds account.'));
    if (actor.role !== 'admin')
      return next(new ForbiddenError('Only CME administrators can open this page.'));
    req.cmeAdmin = {
      tenantId: actor.tenantId,
      name: actor.name,
      recordedBy: { kind: 'lti-admin', id: actor.userId, name: actor.name },
    };
    next();
  };
}

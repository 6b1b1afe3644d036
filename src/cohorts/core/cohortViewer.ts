import type { RequestHandler } from 'express';
import mongoose from 'mongoose';
import type { AccountActor } from '../../shared/auth/actor';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors';
import { secondFactorStep } from '../../accounts';
import { UserModel, type CourseRole } from '../../tenancy';
import { CohortModel } from './cohort.model';
import { isCohortOpenForExternals } from './cohort.dates';

/**
 * Who is looking at a cohort page: a person launched from the LMS (their course role and course), or a mentor
 * from another institution signed in with a Rounds account (issue 12, item 8), who sees only the cohorts their
 * account's `mentor` grants name. Services and policies receive this, never `req`.
 */
export interface CohortViewer {
  tenantId: string;
  /** The tenant's User: an LMS person, or an invited mentor's `account:<accountId>` user. */
  userId: string;
  name: string;
  /** The course role of the LTI launch; absent for an invited external mentor. */
  courseRole?: CourseRole;
  /** The course the launch came from; absent for an invited external mentor. */
  courseId?: string;
  /** An invited external mentor: the only cohorts they may reach (live grants only). */
  grantedCohortIds?: string[];
}

declare module 'express-serve-static-core' {
  interface Request {
    cohortViewer?: CohortViewer;
  }
}

/** The subject of the tenant User that stands for an invited mentor's Rounds account. */
export function externalMentorSubject(accountId: string): string {
  return `account:${accountId}`;
}

/**
 * The cohort viewer of an account session: its `mentor` grants whose cohort still runs (not archived, not past
 * its end date in its zone), in the tenant of the first such grant, and the tenant User invitation acceptance
 * made for it. Undefined when nothing is live.
 */
export async function externalViewerFor(
  account: AccountActor,
  now = new Date(),
): Promise<CohortViewer | undefined> {
  const cohortIds = account.grants
    .filter((grant) => grant.role === 'mentor' && grant.cohortId && mongoose.isValidObjectId(grant.cohortId))
    .map((grant) => grant.cohortId!);
  if (cohortIds.length === 0) return undefined;
  const cohorts = await CohortModel.find({ _id: { $in: cohortIds } }).lean();
  const live = cohorts.filter((cohort) => isCohortOpenForExternals(cohort, now));
  const tenantId = live[0] ? String(live[0].tenantId) : undefined;
  if (!tenantId) return undefined;
  const user = await UserModel.findOne({
    tenantId,
    subject: externalMentorSubject(account.accountId),
  }).lean();
  if (!user) return undefined;
  return {
    tenantId,
    userId: String(user._id),
    name: user.name || account.name || account.email,
    grantedCohortIds: live.filter((cohort) => String(cohort.tenantId) === tenantId).map((c) => String(c._id)),
  };
}

/**
 * Sets `req.cohortViewer` from the LTI session, else from an account session with live mentor grants (after its
 * second factor, when its roles require one); deny by default: 401 without a session, 403 for an account whose
 * mentor access has ended or that never had any. Record-level checks are the policies' (`cohort.policy.ts` and
 * each part's).
 */
export function requireCohortViewer(): RequestHandler {
  return async (req, res, next) => {
    if (req.actor && !req.account) {
      const { tenantId, userId, name, role, courseId } = req.actor;
      req.cohortViewer = { tenantId, userId, name, courseRole: role, courseId };
      return next();
    }
    const account = req.account;
    if (!account) {
      return next(new UnauthorizedError('Open Rounds from your course, or sign in to your Rounds account.'));
    }
    const step = secondFactorStep(account);
    if (step) return res.redirect(303, step);
    const viewer = await externalViewerFor(account);
    if (!viewer) {
      const wasMentor = account.grants.some((grant) => grant.role === 'mentor' && grant.cohortId);
      return next(
        new ForbiddenError(
          wasMentor
            ? 'Your access as a mentor has ended: the cohort is over, or your invitation was withdrawn.'
            : 'Your Rounds account has no cohorts. Open Rounds from your course instead.',
        ),
      );
    }
    req.cohortViewer = viewer;
    next();
  };
}

import mongoose from 'mongoose';
import { CohortModel, listAttendance } from '../../cohorts';
import type { Actor } from '../../shared/auth/actor';
import { tenantTimeZone } from '../../tenancy';
import { listCompletions, listModules } from '../../wellbeing';
import type { CmeActivity } from '../core';
import { EvaluationResponseModel } from './evaluation.model';
import { PostTestAttemptModel } from './postTest.model';
import { requirementStatus, type RequirementFacts, type RequirementsReport } from './requirement.status';

/** The learner an activity's requirements are checked for. */
export type RequirementsLearner = Pick<Actor, 'tenantId' | 'userId'>;

/** The activity version whose requirements are checked (a stored CmeActivity, lean or not). */
export type RequirementsActivity = Pick<CmeActivity, 'key' | 'version' | 'requirements'> & {
  tenantId: unknown;
};

/** The unique key of a learner's records for one activity version. */
export function learnerActivityKey(
  learner: RequirementsLearner,
  activity: Pick<CmeActivity, 'key' | 'version'>,
) {
  return {
    tenantId: new mongoose.Types.ObjectId(learner.tenantId),
    userId: new mongoose.Types.ObjectId(learner.userId),
    activityKey: activity.key,
    activityVersion: activity.version,
  };
}

/** Everything Rounds knows of the learner that bears on the activity's requirements. */
async function factsFor(
  learner: RequirementsLearner,
  activity: RequirementsActivity,
  now: Date,
): Promise<RequirementFacts> {
  const requirements = activity.requirements;
  const slugs = requirements?.moduleSlugs ?? [];
  const cohortId = requirements?.sessions?.cohortId ? String(requirements.sessions.cohortId) : '';
  const key = learnerActivityKey(learner, activity);
  const [timeZone, completions, attendance, cohort, modules, attempts, evaluation] = await Promise.all([
    tenantTimeZone(learner.tenantId),
    slugs.length ? listCompletions(learner.tenantId, learner.userId) : [],
    cohortId ? listAttendance(learner.tenantId, learner.userId) : [],
    cohortId && mongoose.isValidObjectId(cohortId)
      ? CohortModel.findOne({ _id: cohortId, tenantId: learner.tenantId }, { name: 1 }).lean()
      : null,
    slugs.length ? listModules(learner.tenantId) : [],
    requirements?.postTest?.questions?.length
      ? PostTestAttemptModel.find(key, { passed: 1, score: 1, submittedAt: 1 }).lean()
      : [],
    requirements?.evaluationRequired === false
      ? null
      : EvaluationResponseModel.findOne(key, { submittedAt: 1 }).lean(),
  ]);
  const moduleTitles: Record<string, string> = {};
  for (const module of modules) moduleTitles[module.slug] = module.title;
  const cohortName = cohort?.name;
  return {
    completions: completions.filter((completion) => slugs.includes(completion.slug)),
    attendance: attendance.filter((record) => record.cohortId === cohortId),
    postTestAttempts: attempts,
    evaluation: evaluation ? { submittedAt: evaluation.submittedAt } : null,
    moduleTitles,
    ...(cohortName ? { cohortName } : {}),
    timeZone,
    now,
  };
}

/**
 * Where the learner stands with an activity version's requirements (issue 13, item 3): each requirement met or
 * not with a link to what is missing, whether all are met, and the completion instant and its tenant-local date
 * (what a claim records and a certificate shows). The activity must be of the learner's tenant.
 */
export async function requirementsFor(
  learner: RequirementsLearner,
  activity: RequirementsActivity,
  now = new Date(),
): Promise<RequirementsReport> {
  if (String(activity.tenantId) !== learner.tenantId) {
    throw new Error('requirementsFor: the activity belongs to another tenant');
  }
  return requirementStatus(activity, await factsFor(learner, activity, now));
}

import mongoose from 'mongoose';
import { ConflictError, NotFoundError } from '../../shared/errors';
import {
  PairModel,
  namesOfUsers,
  openCohort,
  type CohortViewer,
  type OpenedCohort,
  type Pair,
} from '../core';
import {
  applyAgreement,
  applyGoalEdit,
  applyGoalRemoval,
  applyMilestoneDone,
  applyNewGoal,
  type PlanState,
} from './plan.changes';
import { PairPlanModel, planHistoryLimit, type PairPlan } from './plan.model';
import { assertCanEditPlan, assertCanReadPlan, canEditPlan } from './plan.policy';
import type { AgreementForm, GoalForm } from './plan.schemas';

/** A pair opened for the viewer: its cohort, the pair, both names, and whether the viewer may edit its plan. */
export interface OpenedPair {
  opened: OpenedCohort;
  pair: Pair;
  mentorName: string;
  menteeName: string;
  canEdit: boolean;
}

/**
 * Opens a pair of a mentoring cohort for the viewer: 404 for a malformed id or one of another cohort or tenant,
 * 403 for anyone but its two people and the cohort's managers.
 */
export async function openPair(viewer: CohortViewer, cohortId: string, pairId: string): Promise<OpenedPair> {
  const opened = await openCohort(viewer, cohortId);
  const pair =
    opened.cohort.kind === 'mentoring' && mongoose.isValidObjectId(pairId)
      ? ((await PairModel.findOne({
          _id: pairId,
          tenantId: opened.cohort.tenantId,
          cohortId: opened.cohort._id,
        }).lean()) as Pair | null)
      : null;
  if (!pair) throw new NotFoundError('No such pair in this cohort.');
  assertCanReadPlan(viewer, pair, opened.manages);
  const names = await namesOfUsers(viewer.tenantId, [String(pair.mentorId), String(pair.menteeId)]);
  return {
    opened,
    pair,
    mentorName: names.get(String(pair.mentorId)) ?? 'Unknown person',
    menteeName: names.get(String(pair.menteeId)) ?? 'Unknown person',
    canEdit: canEditPlan(viewer, pair),
  };
}

/** The pair's plan as stored, or an empty one (nothing is written until someone changes it). */
export async function planOf(pair: Pick<Pair, '_id'>): Promise<PairPlan | null> {
  return (await PairPlanModel.findOne({ pairId: pair._id }).lean()) as PairPlan | null;
}

function stateOf(plan: PairPlan | null): PlanState {
  return {
    agreement: {
      meetingCadence: plan?.agreement?.meetingCadence ?? '',
      expectations: plan?.agreement?.expectations ?? '',
      confidentiality: plan?.agreement?.confidentiality ?? '',
      revision: plan?.agreement?.revision ?? 0,
    },
    goals: (plan?.goals ?? []).map((goal) => ({
      _id: goal._id as mongoose.Types.ObjectId,
      title: goal.title,
      description: goal.description,
      revision: goal.revision,
      createdAt: goal.createdAt,
      milestones: goal.milestones.map((milestone) => ({
        _id: milestone._id as mongoose.Types.ObjectId,
        title: milestone.title,
        targetDate: milestone.targetDate,
        done: milestone.done,
      })),
    })),
  };
}

/**
 * Applies one edit to the pair's plan as the viewer (one of its two people) and records what changed in the
 * history. The write is guarded by the document's revision: when another edit lands in between, the edit is
 * applied again to the fresh plan (where its own revision check refuses a real conflict).
 */
async function changePlan(
  viewer: CohortViewer,
  target: OpenedPair,
  edit: (plan: PlanState) => string[],
  now: Date,
): Promise<void> {
  assertCanEditPlan(viewer, target.pair);
  const who = (await namesOfUsers(viewer.tenantId, [viewer.userId])).get(viewer.userId) ?? viewer.name;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const plan = await PairPlanModel.findOneAndUpdate(
      { pairId: target.pair._id },
      { $setOnInsert: { tenantId: target.pair.tenantId, cohortId: target.pair.cohortId } },
      { upsert: true, new: true },
    ).lean();
    const state = stateOf(plan as PairPlan);
    const changes = edit(state);
    if (changes.length === 0) return;
    const written = await PairPlanModel.updateOne(
      { _id: plan!._id, revision: plan!.revision },
      {
        $set: { agreement: state.agreement, goals: state.goals },
        $inc: { revision: 1 },
        $push: {
          history: {
            $each: [{ at: now, userId: new mongoose.Types.ObjectId(viewer.userId), name: who, changes }],
            $slice: -planHistoryLimit,
          },
        },
      },
    );
    if (written.matchedCount === 1) return;
  }
  throw new ConflictError('The plan is being changed by someone else right now. Please try again.');
}

export async function saveAgreement(
  viewer: CohortViewer,
  cohortId: string,
  pairId: string,
  form: AgreementForm,
  now = new Date(),
): Promise<void> {
  const target = await openPair(viewer, cohortId, pairId);
  await changePlan(viewer, target, (plan) => applyAgreement(plan, form), now);
}

export async function addGoal(
  viewer: CohortViewer,
  cohortId: string,
  pairId: string,
  form: GoalForm,
  now = new Date(),
): Promise<void> {
  const target = await openPair(viewer, cohortId, pairId);
  await changePlan(viewer, target, (plan) => applyNewGoal(plan, form, now), now);
}

export async function updateGoal(
  viewer: CohortViewer,
  cohortId: string,
  pairId: string,
  goalId: string,
  form: GoalForm,
  now = new Date(),
): Promise<void> {
  const target = await openPair(viewer, cohortId, pairId);
  await changePlan(viewer, target, (plan) => applyGoalEdit(plan, goalId, form), now);
}

export async function setMilestoneDone(
  viewer: CohortViewer,
  ids: { cohortId: string; pairId: string; goalId: string; milestoneId: string },
  change: { done: boolean; revision: number },
  now = new Date(),
): Promise<void> {
  const target = await openPair(viewer, ids.cohortId, ids.pairId);
  await changePlan(
    viewer,
    target,
    (plan) => applyMilestoneDone(plan, ids.goalId, ids.milestoneId, change.done, change.revision),
    now,
  );
}

export async function removeGoal(
  viewer: CohortViewer,
  ids: { cohortId: string; pairId: string; goalId: string },
  revision: number,
  now = new Date(),
): Promise<void> {
  const target = await openPair(viewer, ids.cohortId, ids.pairId);
  await changePlan(viewer, target, (plan) => applyGoalRemoval(plan, ids.goalId, revision), now);
}

/** A goal as a dashboard shows it: title and milestone progress, never the agreement or the history. */
export interface GoalSummary {
  goalId: string;
  title: string;
  milestonesDone: number;
  milestonesTotal: number;
  /** The first milestone not done yet, earliest target date first (undated ones last). */
  nextMilestone?: { title: string; targetDate: string };
}

/** The goals of a pair of the tenant, for dashboards (the caller has checked who may see them). */
export async function goalsOfPair(tenantId: string, pairId: string): Promise<GoalSummary[]> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(pairId)) return [];
  const plan = await PairPlanModel.findOne({ pairId, tenantId }, { goals: 1 }).lean();
  return (plan?.goals ?? []).map((goal) => {
    const open = goal.milestones
      .filter((milestone) => !milestone.done)
      .sort((a, b) => (a.targetDate || '9999').localeCompare(b.targetDate || '9999'));
    return {
      goalId: String(goal._id),
      title: goal.title,
      milestonesDone: goal.milestones.filter((milestone) => milestone.done).length,
      milestonesTotal: goal.milestones.length,
      ...(open[0] ? { nextMilestone: { title: open[0].title, targetDate: open[0].targetDate } } : {}),
    };
  });
}

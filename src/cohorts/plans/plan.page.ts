import { DateTime } from 'luxon';
import { NotFoundError } from '../../shared/errors';
import { assertCanEditPlan } from './plan.policy';
import { dateLabel } from './plan.changes';
import { milestoneRowLimit } from './plan.schemas';
import { openPair, planOf, type OpenedPair } from './plan.service';
import type { CohortViewer } from '../core';

/** Everything the pair's plan page shows. */
export interface PlanPage extends OpenedPair {
  timeZone: string;
  endedAt?: string;
  agreement: { meetingCadence: string; expectations: string; confidentiality: string; revision: number };
  goals: Array<{
    goalId: string;
    title: string;
    description: string;
    revision: number;
    milestonesDone: number;
    milestones: Array<{
      milestoneId: string;
      title: string;
      targetDate: string;
      targetLabel: string;
      done: boolean;
    }>;
  }>;
  history: Array<{ at: string; name: string; changes: string[] }>;
}

function formatInZone(at: Date, timeZone: string): string {
  return `${DateTime.fromJSDate(at, { zone: timeZone }).toFormat('d LLL yyyy, HH:mm ZZZZ')}`;
}

/** The pair's agreement, goals and history of changes, newest first, times in the cohort's zone. */
export async function planPageFor(viewer: CohortViewer, cohortId: string, pairId: string): Promise<PlanPage> {
  const target = await openPair(viewer, cohortId, pairId);
  const plan = await planOf(target.pair);
  const timeZone = target.opened.cohort.timeZone;
  return {
    ...target,
    timeZone,
    ...(target.pair.endedAt ? { endedAt: formatInZone(target.pair.endedAt, timeZone) } : {}),
    agreement: {
      meetingCadence: plan?.agreement?.meetingCadence ?? '',
      expectations: plan?.agreement?.expectations ?? '',
      confidentiality: plan?.agreement?.confidentiality ?? '',
      revision: plan?.agreement?.revision ?? 0,
    },
    goals: (plan?.goals ?? []).map((goal) => ({
      goalId: String(goal._id),
      title: goal.title,
      description: goal.description,
      revision: goal.revision,
      milestonesDone: goal.milestones.filter((milestone) => milestone.done).length,
      milestones: goal.milestones.map((milestone) => ({
        milestoneId: String(milestone._id),
        title: milestone.title,
        targetDate: milestone.targetDate,
        targetLabel: dateLabel(milestone.targetDate),
        done: milestone.done,
      })),
    })),
    history: [...(plan?.history ?? [])].reverse().map((entry) => ({
      at: formatInZone(entry.at, timeZone),
      name: entry.name || 'Someone',
      changes: entry.changes,
    })),
  };
}

/** One row of the goal form's milestones (blank rows are offered for new milestones). */
export interface MilestoneRow {
  index: number;
  id: string;
  title: string;
  targetDate: string;
  done: boolean;
}

/** The goal form's values: a stored goal to edit, or a new one. */
export interface GoalFormValues {
  title: string;
  description: string;
  revision?: number;
  rows: MilestoneRow[];
}

/** Milestone rows for a form: the given ones, then blanks up to at least three and one spare (at most ten). */
export function milestoneRows(
  milestones: Array<{ id?: string; title: string; targetDate: string; done: boolean }>,
): MilestoneRow[] {
  const count = Math.min(milestoneRowLimit, Math.max(3, milestones.length + 1));
  return Array.from({ length: count }, (_, index) => {
    const milestone = milestones[index];
    return {
      index,
      id: milestone?.id ?? '',
      title: milestone?.title ?? '',
      targetDate: milestone?.targetDate ?? '',
      done: milestone?.done ?? false,
    };
  });
}

/** The page of a new goal, or of a stored goal to edit (the pair's two people only, while it is active). */
export async function goalFormPageFor(
  viewer: CohortViewer,
  cohortId: string,
  pairId: string,
  goalId?: string,
): Promise<OpenedPair & { form: GoalFormValues }> {
  const target = await openPair(viewer, cohortId, pairId);
  assertCanEditPlan(viewer, target.pair);
  if (!goalId) return { ...target, form: { title: '', description: '', rows: milestoneRows([]) } };
  const plan = await planOf(target.pair);
  const goal = plan?.goals.find((item) => String(item._id) === goalId);
  if (!goal) throw new NotFoundError('No such goal: it may have been removed.');
  return {
    ...target,
    form: {
      title: goal.title,
      description: goal.description,
      revision: goal.revision,
      rows: milestoneRows(
        goal.milestones.map((milestone) => ({
          id: String(milestone._id),
          title: milestone.title,
          targetDate: milestone.targetDate,
          done: milestone.done,
        })),
      ),
    },
  };
}

import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import { ConflictError, NotFoundError } from '../../shared/errors';
import type { AgreementForm, GoalForm, MilestoneInput } from './plan.schemas';

/**
 * The edits of a plan, pure: each applies a form to the plan's agreement or goals and says in words what
 * changed, for the history. A form made from a stale page (its revision behind) is refused, never merged blindly.
 */

export interface MilestoneState {
  _id: mongoose.Types.ObjectId;
  title: string;
  targetDate: string;
  done: boolean;
}
export interface GoalState {
  _id: mongoose.Types.ObjectId;
  title: string;
  description: string;
  milestones: MilestoneState[];
  revision: number;
  createdAt: Date;
}
export interface PlanState {
  agreement: { meetingCadence: string; expectations: string; confidentiality: string; revision: number };
  goals: GoalState[];
}

const agreementLabels = {
  meetingCadence: 'Meeting cadence',
  expectations: 'Expectations',
  confidentiality: 'Confidentiality',
} as const;

/** A value quoted in a history line, shortened. */
function quote(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return `“${flat.length > 80 ? `${flat.slice(0, 79)}…` : flat}”`;
}

function describeChange(label: string, before: string, after: string): string | undefined {
  if (before === after) return undefined;
  if (!before) return `${label} set to ${quote(after)}`;
  if (!after) return `${label} cleared (was ${quote(before)})`;
  return `${label}: ${quote(before)} → ${quote(after)}`;
}

/** A milestone's target date as a person reads it ("31 Mar 2026"), or '' without one. */
export function dateLabel(targetDate: string): string {
  return targetDate ? DateTime.fromISO(targetDate).toFormat('d LLL yyyy') : '';
}

export function applyAgreement(plan: PlanState, form: AgreementForm): string[] {
  if (form.revision !== plan.agreement.revision) {
    throw new ConflictError(
      'Someone changed the agreement while you were editing. Your text is kept below and theirs is in the ' +
        'history: save again to replace theirs with yours.',
    );
  }
  const changes = (Object.keys(agreementLabels) as Array<keyof typeof agreementLabels>)
    .map((field) => describeChange(agreementLabels[field], plan.agreement[field], form[field]))
    .filter((line): line is string => Boolean(line));
  if (changes.length === 0) return [];
  plan.agreement = {
    meetingCadence: form.meetingCadence,
    expectations: form.expectations,
    confidentiality: form.confidentiality,
    revision: plan.agreement.revision + 1,
  };
  return changes;
}

function newMilestone(input: MilestoneInput): MilestoneState {
  return {
    _id: new mongoose.Types.ObjectId(),
    title: input.title,
    targetDate: input.targetDate,
    done: input.done,
  };
}

export function applyNewGoal(plan: PlanState, form: GoalForm, now: Date): string[] {
  plan.goals.push({
    _id: new mongoose.Types.ObjectId(),
    title: form.title,
    description: form.description,
    milestones: form.milestones.map(newMilestone),
    revision: 1,
    createdAt: now,
  });
  const count = form.milestones.length;
  return [
    `Added goal ${quote(form.title)}${count ? ` with ${count} milestone${count === 1 ? '' : 's'}` : ''}`,
  ];
}

/** The goal a form names, at the revision the form was made from (409 when changed or removed meanwhile). */
function goalAt(plan: PlanState, goalId: string, revision: number | undefined): GoalState {
  const goal = plan.goals.find((item) => String(item._id) === goalId);
  if (!goal) throw new NotFoundError('No such goal: it may have been removed.');
  if (revision !== undefined && revision !== goal.revision) {
    throw new ConflictError(
      'Someone changed this goal while you were editing. Your changes are kept below; the goal as saved is in ' +
        'the history. Save again to replace it with yours.',
    );
  }
  return goal;
}

function milestoneChanges(goalTitle: string, before: MilestoneState[], after: MilestoneInput[]): string[] {
  const prefix = `Goal ${quote(goalTitle)}: milestone`;
  const changes: string[] = [];
  const kept = new Set<string>();
  for (const input of after) {
    const old = input.id ? before.find((item) => String(item._id) === input.id) : undefined;
    if (!old) {
      changes.push(`${prefix} ${quote(input.title)} added`);
      continue;
    }
    kept.add(String(old._id));
    if (old.title !== input.title)
      changes.push(`${prefix} ${quote(old.title)} renamed ${quote(input.title)}`);
    if (old.targetDate !== input.targetDate) {
      changes.push(
        `${prefix} ${quote(input.title)}: target date ${dateLabel(old.targetDate) || 'none'} → ${dateLabel(input.targetDate) || 'none'}`,
      );
    }
    if (old.done !== input.done)
      changes.push(`${prefix} ${quote(input.title)} marked ${input.done ? 'done' : 'not done'}`);
  }
  for (const old of before) {
    if (!kept.has(String(old._id))) changes.push(`${prefix} ${quote(old.title)} removed`);
  }
  return changes;
}

export function applyGoalEdit(plan: PlanState, goalId: string, form: GoalForm): string[] {
  const goal = goalAt(plan, goalId, form.revision);
  const changes = [
    ...(goal.title !== form.title ? [`Goal ${quote(goal.title)} renamed ${quote(form.title)}`] : []),
    ...(goal.description !== form.description
      ? [describeChange(`Goal ${quote(form.title)}: description`, goal.description, form.description)!]
      : []),
    ...milestoneChanges(form.title, goal.milestones, form.milestones),
  ];
  if (changes.length === 0) return [];
  goal.milestones = form.milestones.map((input) => {
    const old = input.id ? goal.milestones.find((item) => String(item._id) === input.id) : undefined;
    return old
      ? { ...old, title: input.title, targetDate: input.targetDate, done: input.done }
      : newMilestone(input);
  });
  goal.title = form.title;
  goal.description = form.description;
  goal.revision += 1;
  return changes;
}

export function applyMilestoneDone(
  plan: PlanState,
  goalId: string,
  milestoneId: string,
  done: boolean,
  revision: number,
): string[] {
  const goal = goalAt(plan, goalId, revision);
  const milestone = goal.milestones.find((item) => String(item._id) === milestoneId);
  if (!milestone) throw new NotFoundError('No such milestone: it may have been removed.');
  if (milestone.done === done) return [];
  milestone.done = done;
  goal.revision += 1;
  return [
    `Goal ${quote(goal.title)}: milestone ${quote(milestone.title)} marked ${done ? 'done' : 'not done'}`,
  ];
}

export function applyGoalRemoval(plan: PlanState, goalId: string, revision: number): string[] {
  const goal = goalAt(plan, goalId, revision);
  plan.goals = plan.goals.filter((item) => item !== goal);
  return [`Removed goal ${quote(goal.title)}`];
}

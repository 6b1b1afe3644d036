import mongoose from 'mongoose';
import { CohortMemberModel } from '../core';
import { ReflectionAssignmentModel } from './assignment.model';
import { snippet } from './reflection.format';
import { CohortReflectionModel, ReflectionVersionModel, type ReflectionStatus } from './reflection.model';

/** One assignment as a mentee's dashboard shows it. */
export interface MenteeReflectionSummary {
  assignmentId: string;
  title: string;
  dueAt: Date;
  status: ReflectionStatus | 'not-started';
  /** Past due with nothing submitted. */
  overdue: boolean;
  score?: number;
  scoreMaximum?: number;
  /** The start of the mentor's feedback on the latest version (returned or graded). */
  feedbackSnippet?: string;
}

/**
 * A mentee's reflections in one cohort, by due date: status, grade and a feedback snippet (never the draft's
 * text). For the mentee's own dashboard: the caller has already checked who is looking.
 */
export async function reflectionsOfMentee(
  tenantId: string,
  menteeId: string,
  cohortId: string,
  now = new Date(),
): Promise<MenteeReflectionSummary[]> {
  if (![tenantId, menteeId, cohortId].every((id) => mongoose.isValidObjectId(id))) return [];
  const [assignments, reflections] = await Promise.all([
    ReflectionAssignmentModel.find({ tenantId, cohortId }, { title: 1, dueAt: 1 }).sort({ dueAt: 1 }).lean(),
    CohortReflectionModel.find(
      { tenantId, cohortId, menteeId },
      { assignmentId: 1, status: 1, latestVersion: 1 },
    ).lean(),
  ]);
  const latest = await ReflectionVersionModel.find(
    { reflectionId: { $in: reflections.map((item) => item._id) }, superseded: false },
    { reflectionId: 1, status: 1, score: 1, scoreMaximum: 1, feedback: 1 },
  ).lean();
  return assignments.map((assignment) => {
    const reflection = reflections.find((item) => String(item.assignmentId) === String(assignment._id));
    const version = reflection && latest.find((item) => String(item.reflectionId) === String(reflection._id));
    return {
      assignmentId: String(assignment._id),
      title: assignment.title,
      dueAt: assignment.dueAt,
      status: (reflection?.status ?? 'not-started') as MenteeReflectionSummary['status'],
      overdue: assignment.dueAt < now && !(reflection && reflection.latestVersion > 0),
      ...(version?.status === 'graded'
        ? { score: version.score ?? 0, scoreMaximum: version.scoreMaximum ?? 0 }
        : {}),
      ...(version && version.status !== 'submitted' && version.feedback
        ? { feedbackSnippet: snippet(version.feedback) }
        : {}),
    };
  });
}

/**
 * How many reflections of a cohort are overdue: for each assignment past its due date, the active mentees
 * who have submitted nothing for it (cohort health).
 */
export async function overdueCount(tenantId: string, cohortId: string, now = new Date()): Promise<number> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(cohortId)) return 0;
  const [assignments, mentees] = await Promise.all([
    ReflectionAssignmentModel.find({ tenantId, cohortId, dueAt: { $lt: now } }, { _id: 1 }).lean(),
    CohortMemberModel.find({ tenantId, cohortId, role: 'mentee', active: true }, { userId: 1 }).lean(),
  ]);
  if (assignments.length === 0 || mentees.length === 0) return 0;
  const submitted = await CohortReflectionModel.countDocuments({
    tenantId,
    cohortId,
    assignmentId: { $in: assignments.map((item) => item._id) },
    menteeId: { $in: mentees.map((item) => item.userId) },
    latestVersion: { $gte: 1 },
  });
  return Math.max(0, assignments.length * mentees.length - submitted);
}

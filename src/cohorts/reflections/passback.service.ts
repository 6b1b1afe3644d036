import { submitGrade } from '../../lti/services';
import { AssignmentLinkModel, courseReflectionKey } from './assignmentLink.model';
import { ReflectionAssignmentModel } from './assignment.model';
import { ReflectionVersionModel, type ReflectionVersion } from './reflection.model';

/** Where a graded version's grade went, in the mentor's words. */
export interface GradeDelivery {
  state: 'queued' | 'no-column' | 'failed';
  message: string;
}

export const deliveryMessages: Record<GradeDelivery['state'], string> = {
  queued: 'Sent to the LMS gradebook (Rounds retries until the LMS takes it).',
  'no-column':
    'Kept in Rounds: no LMS grade column yet. Place this assignment in the course (Add an activity), open it once from the course, and the grade is sent then.',
  failed: 'Kept in Rounds; the LMS gradebook could not take it',
};

/**
 * Records which LMS activity stands for an assignment in a course, when a launch of it lands (the latest launch
 * wins). When the course gets its first column for it, grades kept for lack of one are sent now.
 */
export async function recordAssignmentLaunch(
  tenantId: string,
  courseId: string,
  assignmentKey: string,
  resourceLinkId: string,
  now = new Date(),
): Promise<void> {
  const before = await AssignmentLinkModel.findOneAndUpdate(
    { tenantId, courseId, assignmentKey },
    { $set: { resourceLinkId, lastLaunchAt: now } },
    { upsert: true },
  ).lean();
  if (!before) await sendKeptGrades(tenantId, courseId, assignmentKey);
}

/** The LMS activity grades of this assignment go to: its own placed link, else the course's older reflection link. */
async function resourceLinkFor(tenantId: string, courseId: string, assignmentId: string) {
  const links = await AssignmentLinkModel.find({
    tenantId,
    courseId,
    assignmentKey: { $in: [assignmentId, courseReflectionKey] },
  }).lean();
  return (
    links.find((link) => link.assignmentKey === assignmentId) ??
    links.find((link) => link.assignmentKey === courseReflectionKey)
  )?.resourceLinkId;
}

/**
 * Sends a graded version's grade to the LMS through the outbox, once: the attempt id names the version for good,
 * so sending it again (a retry, a double click, a column that appears later) queues nothing more. Records on the
 * version where the grade went; the grade itself is already in Rounds whatever happens here.
 */
export async function sendGradeToLms(
  version: Pick<
    ReflectionVersion,
    | '_id'
    | 'tenantId'
    | 'reflectionId'
    | 'number'
    | 'menteeId'
    | 'score'
    | 'scoreMaximum'
    | 'feedback'
    | 'gradedAt'
  >,
  assignment: { _id: unknown; courseId: unknown },
): Promise<GradeDelivery> {
  const tenantId = String(version.tenantId);
  const courseId = String(assignment.courseId);
  const resourceLinkId = await resourceLinkFor(tenantId, courseId, String(assignment._id));
  let delivery: GradeDelivery & { jobId?: string };
  if (!resourceLinkId) {
    delivery = { state: 'no-column', message: deliveryMessages['no-column'] };
  } else {
    try {
      const { jobId } = await submitGrade({
        tenantId,
        courseId,
        userId: String(version.menteeId),
        resourceLinkId,
        scoreGiven: version.score ?? 0,
        scoreMaximum: Math.max(version.scoreMaximum ?? 0, 1),
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        ...(version.feedback ? { comment: version.feedback } : {}),
        attemptId: `cohort-reflection:${String(version.reflectionId)}:v${version.number}`,
        ...(version.gradedAt ? { gradedAt: version.gradedAt } : {}),
      });
      delivery = { state: 'queued', message: deliveryMessages.queued, jobId };
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unknown reason';
      delivery = { state: 'failed', message: `${deliveryMessages.failed}: ${reason}` };
    }
  }
  await ReflectionVersionModel.updateOne(
    { _id: version._id },
    {
      $set: {
        lmsState: delivery.state,
        lmsMessage: delivery.message,
        ...(delivery.jobId ? { lmsJobId: delivery.jobId } : {}),
      },
    },
  );
  return { state: delivery.state, message: delivery.message };
}

/** Grades kept in Rounds for lack of a column in this course, sent now that the column exists. */
async function sendKeptGrades(tenantId: string, courseId: string, assignmentKey: string): Promise<void> {
  const assignments = await ReflectionAssignmentModel.find(
    assignmentKey === courseReflectionKey
      ? { tenantId, courseId }
      : { tenantId, courseId, _id: assignmentKey },
    { courseId: 1 },
  ).lean();
  for (const assignment of assignments) {
    const kept = await ReflectionVersionModel.find({
      tenantId,
      assignmentId: assignment._id,
      status: 'graded',
      lmsState: { $in: ['no-column', 'failed'] },
    }).lean();
    for (const version of kept) await sendGradeToLms(version as ReflectionVersion, assignment);
  }
}

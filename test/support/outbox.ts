import { submitGrade, type GradeSubmission } from '../../src/lti/services/grades.service';
import { OutboxJobModel, type OutboxJob } from '../../src/lti/services/outbox.model';
import type { Rounds } from '../../src/runtime';
import { SandboxScore } from '../../src/sandbox/sandbox.model';
import { CourseModel } from '../../src/tenancy/course.model';
import { TenantModel } from '../../src/tenancy/tenant.model';
import { UserModel } from '../../src/tenancy/user.model';
import type { Agent } from './launch';
import { openForm } from './pages';
import { waitFor } from './wait';

/** The sandbox course as Rounds recorded it after a launch: tenant and course ids, and a user's id by Moodle id. */
export async function sandboxCourseIn(rounds: Rounds) {
  const tenant = await TenantModel.findOne({ issuer: rounds.sandbox!.issuer }).lean();
  if (!tenant) throw new Error('no tenant for the sandbox yet: launch first');
  const course = await CourseModel.findOne({
    tenantId: tenant._id,
    contextId: rounds.sandbox!.course.contextId,
  }).lean();
  if (!course) throw new Error('no sandbox course yet: launch first');
  return {
    tenantId: String(tenant._id),
    courseId: String(course._id),
    async userId(subject: string): Promise<string> {
      const user = await UserModel.findOne({ tenantId: tenant._id, subject }).lean();
      if (!user) throw new Error(`no user ${subject} in Rounds`);
      return String(user._id);
    },
  };
}

export type SandboxCourse = Awaited<ReturnType<typeof sandboxCourseIn>>;

let attempts = 0;

/**
 * A grade for the sandbox learner with Moodle id `subject` on the course's built-in activity ('11'): 8 / 10,
 * completed and fully graded, a new attempt each call unless `overrides` name one.
 */
export async function gradeSubmission(
  course: SandboxCourse,
  subject: string,
  overrides: Partial<GradeSubmission> = {},
): Promise<GradeSubmission> {
  attempts += 1;
  return {
    tenantId: course.tenantId,
    courseId: course.courseId,
    userId: await course.userId(subject),
    resourceLinkId: '11',
    scoreGiven: 8,
    scoreMaximum: 10,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    attemptId: `test-attempt:${attempts}`,
    ...overrides,
  };
}

/** Submits a gradeSubmission(course, subject, overrides) and returns its outbox job's id. */
export async function gradeFor(
  course: SandboxCourse,
  subject: string,
  overrides: Partial<GradeSubmission> = {},
): Promise<string> {
  return (await submitGrade(await gradeSubmission(course, subject, overrides))).jobId;
}

/** One outbox job, as stored. */
export async function outboxJob(jobId: string): Promise<OutboxJob> {
  const job = (await OutboxJobModel.findById(jobId).lean()) as OutboxJob | null;
  if (!job) throw new Error(`no outbox job ${jobId}`);
  return job;
}

/** Waits until a job reaches `status`, and returns it. */
export async function jobReaches(jobId: string, status: string, timeoutMs?: number): Promise<OutboxJob> {
  return waitFor(
    `job ${jobId} to be ${status}`,
    async () => {
      const job = await outboxJob(jobId);
      return job.status === status ? job : undefined;
    },
    { timeoutMs },
  );
}

/**
 * Lets the worker send everything that is due, then returns: what a "sent once, never twice" count must wait
 * for (a duplicate would be a due job). Two passes, since a pass already under way may have started before.
 */
export async function drainOutbox(rounds: Rounds): Promise<void> {
  await rounds.outbox.drain();
  await rounds.outbox.drain();
}

/** Scores the sandbox LMS received (every POST is kept), optionally for one Moodle user. */
export async function sandboxScores(rounds: Rounds, userId?: string) {
  return SandboxScore.find({ issuer: rounds.sandbox!.issuer, ...(userId ? { userId } : {}) })
    .sort({ receivedAt: 1 })
    .lean();
}

/** Opens /admin/outbox as the signed-in agent and returns the page and its form token. */
export function openOutboxPage(agent: Agent) {
  return openForm(agent, '/admin/outbox');
}

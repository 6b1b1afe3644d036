import mongoose from 'mongoose';
import { z } from 'zod';
import { ValidationError } from '../../shared/errors';
import { TenantModel, UserModel } from '../../tenancy';
import { AgsClient, agsScopes, type AgsScore } from './ags.client';
import { OutboxParkError } from './outbox.errors';
import { enqueueOutboxJob, type LeasedOutboxJob } from './outbox.service';
import { servicePlatformFor, type PlatformServices } from './platformServices.client';
import type { ResourceLink } from './resourceLink.model';
import { findResourceLink, forgetLineItem, rememberLineItem } from './resourceLink.service';

const objectId = z.string().refine((value) => mongoose.isValidObjectId(value), 'must be an id');
/** AGS 2.0 §3.4.6–3.4.7 progress values. */
const activityProgress = z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']);
const gradingProgress = z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']);

/**
 * A grade for the LMS gradebook. Only course work goes here (reflection grades, module completion, post-test
 * results): well-being self-checks are the learner's alone and never become a grade (ARCHITECTURE.md).
 */
const gradeSubmissionSchema = z.object({
  tenantId: objectId,
  courseId: objectId,
  /** Rounds' user id of the learner. */
  userId: objectId,
  /** The LMS's resource link id of the activity (as launched), e.g. Moodle's '11'. */
  resourceLinkId: z.string().min(1),
  scoreGiven: z.number().finite().min(0),
  scoreMaximum: z.number().finite().positive(),
  activityProgress,
  gradingProgress,
  comment: z.string().max(4000).optional(),
  /**
   * Names this attempt for good, e.g. `reflection:<id>:grade:2`: submitting the same attempt again sends nothing
   * more. A regrade is a new attempt.
   */
  attemptId: z.string().min(1).max(200),
  /** When the grade was given (AGS `timestamp`); defaults to now. Kept across retries, so order is preserved. */
  gradedAt: z.date().optional(),
});
export type GradeSubmission = z.input<typeof gradeSubmissionSchema>;

const gradePayloadSchema = gradeSubmissionSchema
  .omit({ tenantId: true, attemptId: true, gradedAt: true })
  .extend({ timestamp: z.string().min(1) });
type GradePayload = z.infer<typeof gradePayloadSchema>;

/**
 * Queues a grade for the LMS through the outbox and returns at once; the outbox worker sends it, retrying
 * while the LMS is unreachable. Idempotent per `attemptId`. Throws ValidationError for input that could never
 * be sent (unknown learner or activity).
 */
export async function submitGrade(input: GradeSubmission): Promise<{ jobId: string; created: boolean }> {
  const parsed = gradeSubmissionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(
      `Grade not sent: ${issue?.path.join('.') || 'input'} ${issue?.message ?? 'is invalid'}`,
    );
  }
  const grade = parsed.data;
  const [user, link] = await Promise.all([
    UserModel.findOne({ _id: grade.userId, tenantId: grade.tenantId }).lean(),
    findResourceLink(grade.tenantId, grade.courseId, grade.resourceLinkId),
  ]);
  if (!user) throw new ValidationError('Grade not sent: no such learner in this tenant.');
  if (!link)
    throw new ValidationError('Grade not sent: this activity has not been launched from the LMS yet.');
  const payload: GradePayload = {
    courseId: grade.courseId,
    userId: grade.userId,
    resourceLinkId: grade.resourceLinkId,
    scoreGiven: grade.scoreGiven,
    scoreMaximum: grade.scoreMaximum,
    activityProgress: grade.activityProgress,
    gradingProgress: grade.gradingProgress,
    ...(grade.comment === undefined ? {} : { comment: grade.comment }),
    timestamp: (grade.gradedAt ?? new Date()).toISOString(),
  };
  const { job, created } = await enqueueOutboxJob({
    tenantId: grade.tenantId,
    kind: 'grade',
    idempotencyKey: `grade:${grade.attemptId}`,
    payload,
    label: `${grade.scoreGiven} / ${grade.scoreMaximum} for ${user.name || user.subject} · ${link.title || `activity ${link.resourceLinkId}`}`,
  });
  return { jobId: String(job._id), created };
}

const gradeSyncOnly =
  'This activity has no grade item in the LMS, and the LMS lets Rounds send grades but not create grade items ' +
  '(Moodle: "Use this service for grade sync only"). Ask the LMS administrator to allow "grade sync and column ' +
  'management", or add a grade item to the activity; then open the activity once and retry.';

/** The line item scores go to: the one known, else the platform's for this link, else a new one if allowed. */
async function resolveLineItem(ags: AgsClient, link: ResourceLink, granted: string[], scoreMaximum: number) {
  if (link.lineItemUrl) return link.lineItemUrl;
  if (!link.lineItemsUrl) throw new OutboxParkError(gradeSyncOnly);
  if (granted.includes(agsScopes.lineItem) || granted.includes(agsScopes.lineItemReadOnly)) {
    const found = await ags.findLineItem(link.lineItemsUrl, link.resourceLinkId);
    if (found) return rememberLineItem(link, found);
  }
  if (!granted.includes(agsScopes.lineItem)) throw new OutboxParkError(gradeSyncOnly);
  const created = await ags.createLineItem(link.lineItemsUrl, {
    label: link.title || 'Rounds',
    scoreMaximum,
    resourceLinkId: link.resourceLinkId,
  });
  return rememberLineItem(link, created);
}

/**
 * Sends a queued grade (the outbox's `grade` handler): finds or creates the line item, then posts the score
 * with the fields Moodle requires. A job taken over from a worker that died mid-attempt first reads the
 * gradebook, so a score that already arrived is not posted again.
 */
export function gradeHandler(services: PlatformServices) {
  return async (job: LeasedOutboxJob): Promise<string> => {
    const payload = gradePayloadSchema.safeParse(job.payload);
    if (!payload.success) throw new OutboxParkError('This grade job is malformed and cannot be sent.');
    const grade = payload.data;
    const tenant = await TenantModel.findById(job.tenantId).lean();
    if (!tenant) throw new OutboxParkError('The tenant of this grade no longer exists.');
    const [platform, link, user] = await Promise.all([
      servicePlatformFor(tenant.issuer, tenant.clientId),
      findResourceLink(job.tenantId, grade.courseId, grade.resourceLinkId),
      UserModel.findOne({ _id: grade.userId, tenantId: job.tenantId }).lean(),
    ]);
    if (!link) throw new OutboxParkError('The activity of this grade is not known to Rounds any more.');
    if (!user) throw new OutboxParkError('The learner of this grade is not known to Rounds any more.');
    const granted = link.agsScopes;
    if (!granted.includes(agsScopes.score)) {
      throw new OutboxParkError(
        'The LMS did not allow Rounds to send grades for this activity (no AGS score scope at its last launch). ' +
          'Turn on the tool’s Assignment and Grade Services in the LMS, open the activity once, then retry.',
      );
    }
    const scopes = Object.values(agsScopes).filter((scope) => granted.includes(scope));
    const ags = new AgsClient(services, platform, scopes);
    const timestamp = new Date(grade.timestamp);

    if (job.inDoubt && link.lineItemUrl && granted.includes(agsScopes.resultReadOnly)) {
      const current = await ags.resultTimestamp(link.lineItemUrl, user.subject).catch(() => undefined);
      if (current && current.getTime() >= timestamp.getTime()) {
        return 'Already in the LMS gradebook (this score, or a newer one, arrived before an interrupted attempt ended); not sent again.';
      }
    }

    const lineItemUrl = await resolveLineItem(ags, link, granted, grade.scoreMaximum);
    const score: AgsScore = {
      userId: user.subject,
      scoreGiven: grade.scoreGiven,
      scoreMaximum: grade.scoreMaximum,
      ...(grade.comment === undefined ? {} : { comment: grade.comment }),
      timestamp: grade.timestamp,
      activityProgress: grade.activityProgress,
      gradingProgress: grade.gradingProgress,
    };
    try {
      await ags.postScore(lineItemUrl, score);
    } catch (error) {
      if (error instanceof OutboxParkError && error.status === 404) {
        await forgetLineItem(link, lineItemUrl);
        const advice =
          lineItemUrl === link.claimLineItemUrl
            ? 'The grade item the LMS named for this activity is gone; open the activity from the LMS once, then retry.'
            : 'The grade item seems to have been deleted in the LMS; Retry looks for or creates it again.';
        throw new OutboxParkError(`${error.message}. ${advice}`, 404);
      }
      throw error;
    }
    return `Score ${grade.scoreGiven} / ${grade.scoreMaximum} sent to ${new URL(lineItemUrl).host}.`;
  };
}

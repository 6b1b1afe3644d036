import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import {
  OutboxJobModel,
  type OutboxJob,
  assertCanManageOutbox,
  requeueOutboxJobs,
  ResourceLinkModel,
} from '../lti/services';
import type { Actor } from '../shared/auth/actor';
import { ConflictError, NotFoundError } from '../shared/errors';
import { CourseModel, tenantTimeZone } from '../tenancy';

/** How many jobs of each section the page lists (newest first); the counts cover them all. */
const rowsPerSection = 50;

const kindLabels: Record<string, string> = { grade: 'Grade', 'roster-sync': 'Roster sync' };
const statusLabels: Record<string, string> = {
  pending: 'Waiting',
  sending: 'Sending now',
  sent: 'Sent',
  parked: 'Needs attention',
};

/** A time as the tenant reads it, and as a machine-readable instant for `<time datetime>`. */
export interface ShownTime {
  iso: string;
  text: string;
}

export interface OutboxRow {
  id: string;
  kind: string;
  label: string;
  status: string;
  statusLabel: string;
  attempts: number;
  /** Next attempt (waiting), when it was parked, or when it was sent. */
  when?: ShownTime;
  /** Why it is parked, or the last error of a job still being retried. */
  reason?: string;
  outcome?: string;
  canRetry: boolean;
}

export interface OutboxPage {
  counts: { waiting: number; parked: number; sent: number };
  parked: OutboxRow[];
  waiting: OutboxRow[];
  sent: OutboxRow[];
  timeZone: string;
  /** Courses whose roster the LMS offers (NRPS), for "Sync roster now". */
  rosterCourses: Array<{ id: string; title: string }>;
}

function shownTime(date: Date | null | undefined, zone: string): ShownTime | undefined {
  if (!date) return undefined;
  const at = DateTime.fromJSDate(date, { zone });
  return { iso: at.toUTC().toISO() ?? '', text: at.toFormat('d LLL yyyy, HH:mm:ss ZZZZ') };
}

function rowOf(job: OutboxJob, zone: string): OutboxRow {
  const when =
    job.status === 'sent' ? job.sentAt : job.status === 'parked' ? job.parkedAt : job.nextAttemptAt;
  return {
    id: String(job._id),
    kind: kindLabels[job.kind] ?? job.kind,
    label: job.label || kindLabels[job.kind] || job.kind,
    status: job.status,
    statusLabel: statusLabels[job.status] ?? job.status,
    attempts: job.attempts,
    when: shownTime(when, zone),
    reason: job.status === 'parked' ? (job.parkedReason ?? undefined) : (job.lastError ?? undefined),
    outcome: job.outcome ?? undefined,
    canRetry: job.status === 'parked' || job.status === 'pending',
  };
}

/** The tenant's outbox in three sections (needs attention, waiting, sent), for administrators. */
export async function outboxFor(actor: Actor): Promise<OutboxPage> {
  assertCanManageOutbox(actor);
  const tenantId = actor.tenantId;
  const zone = await tenantTimeZone(tenantId);
  const list = (statuses: string[], sort: Record<string, 1 | -1>) =>
    OutboxJobModel.find({ tenantId, status: { $in: statuses } })
      .sort(sort)
      .limit(rowsPerSection)
      .lean() as Promise<OutboxJob[]>;
  const count = (statuses: string[]) =>
    OutboxJobModel.countDocuments({ tenantId, status: { $in: statuses } });
  const [parked, waiting, sent, parkedCount, waitingCount, sentCount, courseIds] = await Promise.all([
    list(['parked'], { parkedAt: -1 }),
    list(['pending', 'sending'], { nextAttemptAt: 1 }),
    list(['sent'], { sentAt: -1 }),
    count(['parked']),
    count(['pending', 'sending']),
    count(['sent']),
    ResourceLinkModel.distinct('courseId', { tenantId, membershipsUrl: { $exists: true } }),
  ]);
  const courses = await CourseModel.find({ tenantId, _id: { $in: courseIds } })
    .sort({ title: 1 })
    .lean();
  return {
    counts: { waiting: waitingCount, parked: parkedCount, sent: sentCount },
    parked: parked.map((job) => rowOf(job, zone)),
    waiting: waiting.map((job) => rowOf(job, zone)),
    sent: sent.map((job) => rowOf(job, zone)),
    timeZone: zone,
    rosterCourses: courses.map((course) => ({
      id: String(course._id),
      title: course.title || course.label || `Course ${course.contextId}`,
    })),
  };
}

/**
 * Sends a parked or waiting job again now, with a fresh count of attempts. A sent job is refused: sending it
 * again would put the same grade in the gradebook twice.
 */
export async function retryOutboxJob(actor: Actor, jobId: string): Promise<void> {
  assertCanManageOutbox(actor);
  const job = mongoose.isValidObjectId(jobId)
    ? await OutboxJobModel.findOne({ _id: jobId, tenantId: actor.tenantId }).lean()
    : null;
  if (!job) throw new NotFoundError('That outbox entry does not exist (any more).');
  if (job.status === 'sent') throw new ConflictError('That entry was already sent; it is not sent twice.');
  if (job.status === 'sending') throw new ConflictError('That entry is being sent right now.');
  await requeueOutboxJobs(actor.tenantId, [jobId]);
}

/** Sends every parked job of the tenant again (after an LMS outage or a settings fix); returns how many. */
export async function retryParkedOutboxJobs(actor: Actor): Promise<number> {
  assertCanManageOutbox(actor);
  return requeueOutboxJobs(actor.tenantId, 'all-parked');
}

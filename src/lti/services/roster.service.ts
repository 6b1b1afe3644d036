import mongoose, { type Types } from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { CourseModel, EnrollmentModel, courseRoleFor, TenantModel, UserModel } from '../../tenancy';
import { fetchMemberships, type NrpsMember } from './nrps.client';
import { OutboxParkError } from './outbox.errors';
import { assertCanSyncRoster } from './outbox.policy';
import { enqueueOutboxJob, type LeasedOutboxJob } from './outbox.service';
import { noteRosterChange } from '../registration';
import { servicePlatformFor, type PlatformServices } from './platformServices.client';
import { ResourceLinkModel } from './resourceLink.model';

/** The most recently launched link of a course that carried an NRPS endpoint. */
async function membershipsUrlOf(tenantId: Types.ObjectId | string, courseId: Types.ObjectId | string) {
  const link = await ResourceLinkModel.findOne({ tenantId, courseId, membershipsUrl: { $exists: true } })
    .sort({ lastLaunchAt: -1 })
    .lean();
  return link?.membershipsUrl ?? undefined;
}

/** What a roster listener hears after a course's roster was applied to its enrollments. */
export interface RosterAppliedEvent {
  tenantId: string;
  courseId: string;
}
export type RosterAppliedListener = (event: RosterAppliedEvent) => Promise<void>;

// Entries, not the functions themselves: the same function registered twice is two registrations, each undone
// by its own unsubscribe.
const rosterAppliedListeners = new Set<{ listener: RosterAppliedListener }>();

/**
 * Registers a listener run after every applied roster sync, in the sync's job (cohorts bring their memberships in
 * line with the course's enrollments). A listener that throws fails the job, which the outbox retries: listeners
 * must be idempotent. Returns the function that unregisters it.
 */
export function onRosterApplied(listener: RosterAppliedListener): () => void {
  const entry = { listener };
  rosterAppliedListeners.add(entry);
  return () => {
    rosterAppliedListeners.delete(entry);
  };
}

const rosterNotOffered =
  'The LMS has not offered its roster (Names and Role Provisioning) for this course: the service is off in ' +
  'the tool’s settings, or nobody has opened Rounds from this course since it was turned on.';

/** Queues the roster job of a course already checked to be the tenant's and to offer NRPS. */
async function enqueueRosterSync(
  tenantId: Types.ObjectId | string,
  course: { _id: Types.ObjectId; title?: string | null; label?: string | null; contextId: string },
): Promise<{ jobId: string; created: boolean }> {
  const { job, created } = await enqueueOutboxJob({
    tenantId,
    kind: 'roster-sync',
    idempotencyKey: `roster-sync:${String(course._id)}`,
    releaseKeyWhenDone: true,
    payload: { courseId: String(course._id) },
    label: `Roster of ${course.title || course.label || `course ${course.contextId}`}`,
  });
  return { jobId: String(job._id), created };
}

/**
 * Queues a sync of a course's roster from the LMS (Names and Role Provisioning). Requests coalesce while one is
 * waiting: asking twice makes one job. Administrators may sync any course of their tenant, instructors their own.
 */
export async function requestRosterSync(
  actor: Actor,
  courseId: string = actor.courseId,
): Promise<{ jobId: string; created: boolean }> {
  assertCanSyncRoster(actor, courseId);
  const course = mongoose.isValidObjectId(courseId)
    ? await CourseModel.findOne({ _id: courseId, tenantId: actor.tenantId }).lean()
    : null;
  if (!course) throw new NotFoundError('No such course.');
  if (!(await membershipsUrlOf(actor.tenantId, course._id))) throw new ValidationError(rosterNotOffered);
  return enqueueRosterSync(actor.tenantId, course);
}

/**
 * Queues a course's roster sync on Rounds' own behalf (the cohorts' scheduled sync), without a person asking.
 * Undefined, and nothing queued, when the course is not the tenant's or its LMS has not offered NRPS.
 */
export async function queueCourseRosterSync(
  tenantId: string,
  courseId: string,
): Promise<{ jobId: string; created: boolean } | undefined> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(courseId)) return undefined;
  const course = await CourseModel.findOne({ _id: courseId, tenantId }).lean();
  if (!course || !(await membershipsUrlOf(tenantId, course._id))) return undefined;
  return enqueueRosterSync(tenantId, course);
}

/** NRPS 2.0 §2.2: a member without a status is Active; Inactive and Deleted have left the course. */
function isActive(member: NrpsMember): boolean {
  return (member.status ?? 'Active') === 'Active';
}

/** The fields the LMS sent for this person; an absent one (privacy settings) keeps what Rounds has. */
function personFields(member: NrpsMember): Record<string, string> {
  const fields: Record<string, string> = {};
  const map = { name: 'name', given_name: 'givenName', family_name: 'familyName', email: 'email' } as const;
  for (const [from, to] of Object.entries(map)) {
    const value = member[from as keyof typeof map];
    if (typeof value === 'string' && value !== '') fields[to] = value;
  }
  return fields;
}

/**
 * Brings the course's users and enrollments in line with the roster: upserts everyone listed with their Rounds
 * role (ARCHITECTURE.md, Roles), and marks inactive whoever is listed Inactive/Deleted or not listed at all.
 * Nothing is deleted: records of people who left are kept.
 */
async function applyRoster(
  tenantId: Types.ObjectId | string,
  courseId: Types.ObjectId | string,
  members: NrpsMember[],
): Promise<{ active: number; inactive: number }> {
  // Two bulk writes and one read, not two round trips a person: a roster runs to thousands of people.
  await UserModel.bulkWrite(
    members.map((member) => ({
      updateOne: {
        filter: { tenantId, subject: member.user_id },
        update: { $set: personFields(member), $setOnInsert: { subject: member.user_id } },
        upsert: true,
      },
    })),
  );
  const users = await UserModel.find(
    { tenantId, subject: { $in: members.map((member) => member.user_id) } },
    { subject: 1 },
  ).lean();
  const userIdOf = new Map(users.map((user) => [user.subject, user._id]));
  const activeUserIds: Types.ObjectId[] = [];
  await EnrollmentModel.bulkWrite(
    members.map((member) => {
      const userId = userIdOf.get(member.user_id)!;
      const active = isActive(member);
      if (active) activeUserIds.push(userId);
      return {
        updateOne: {
          filter: { tenantId, courseId, userId },
          update: { $set: { ltiRoles: member.roles, role: courseRoleFor(member.roles), active } },
          upsert: true,
        },
      };
    }),
  );
  await EnrollmentModel.updateMany(
    { tenantId, courseId, active: true, userId: { $nin: activeUserIds } },
    { $set: { active: false } },
  );
  const inactive = await EnrollmentModel.countDocuments({ tenantId, courseId, active: false });
  return { active: activeUserIds.length, inactive };
}

/** Runs a queued roster sync (the outbox's `roster-sync` handler): all pages, then the upserts. */
export function rosterSyncHandler(services: PlatformServices, pageSize: number) {
  return async (job: LeasedOutboxJob): Promise<string> => {
    const courseId = (job.payload as { courseId?: unknown })?.courseId;
    if (typeof courseId !== 'string' || !mongoose.isValidObjectId(courseId)) {
      throw new OutboxParkError('This roster job is malformed.');
    }
    const tenant = await TenantModel.findById(job.tenantId).lean();
    if (!tenant) throw new OutboxParkError('The tenant of this roster sync no longer exists.');
    const membershipsUrl = await membershipsUrlOf(tenant._id, courseId);
    if (!membershipsUrl) throw new OutboxParkError('The LMS no longer offers this course’s roster.');
    const platform = await servicePlatformFor(tenant.issuer, tenant.clientId);
    const { members, pages } = await fetchMemberships(services, platform, membershipsUrl, pageSize);
    // A course always lists at least whoever launched Rounds in it; an empty roster is an LMS fault, and
    // applying it would mark everyone as having left.
    if (members.length === 0) {
      throw new OutboxParkError('The LMS sent an empty roster; nobody was marked inactive.');
    }
    const { active, inactive } = await applyRoster(tenant._id, courseId, members);
    // Launches skip writing people they wrote recently; this sync changed them behind those launches' backs.
    await noteRosterChange(String(tenant._id));
    // Cohorts of the course follow its roster; a listener's failure retries the whole (idempotent) job.
    for (const { listener } of [...rosterAppliedListeners]) {
      await listener({ tenantId: String(tenant._id), courseId });
    }
    return `Roster synced: ${members.length} ${members.length === 1 ? 'person' : 'people'} on ${pages} page${pages === 1 ? '' : 's'}; ${active} active, ${inactive} inactive in Rounds.`;
  };
}

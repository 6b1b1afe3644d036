import type { AnyBulkWriteOperation, Types } from 'mongoose';
import { EnrollmentModel, storedCourseRole } from '../../tenancy';
import { cohortToday } from './cohort.dates';
import { CohortModel, type Cohort } from './cohort.model';
import { CohortMemberModel, type CohortMember, type CohortRole } from './cohortMember.model';
import type { CohortViewer } from './cohortViewer';

/** The role a course learner takes when the roster brings them in: mentee of a mentoring cohort, else member. */
export function rosterRoleOf(cohort: Pick<Cohort, 'kind'>): CohortRole {
  return cohort.kind === 'mentoring' ? 'mentee' : 'member';
}

/** Whether new people may still join: not archived and not past its end date in its zone. */
function takesNewPeople(cohort: Cohort, now: Date): boolean {
  return !cohort.archived && cohortToday(cohort, now) <= cohort.endDate;
}

type MemberState = Pick<CohortMember, 'userId' | 'active' | 'removedByHand' | 'leftAt'>;

/**
 * The writes that bring one cohort's memberships in line with the course's enrollments (a pure plan, so the
 * rules read in one place):
 * - someone whose enrollment is inactive (left the course) becomes an inactive member with `leftAt`; kept;
 * - someone who left and is enrolled again is active again, unless an instructor took them off by hand;
 * - a `course`-mode cohort that still takes people gains every active learner not yet in it (instructors and
 *   administrators are never added: cohort roles are assigned by hand).
 */
export function rosterWritesFor(
  cohort: Cohort,
  members: MemberState[],
  enrollments: Array<{ userId: Types.ObjectId; role: string; active: boolean }>,
  now: Date,
): AnyBulkWriteOperation[] {
  const memberOf = new Map(members.map((member) => [String(member.userId), member]));
  const writes: AnyBulkWriteOperation[] = [];
  const addsLearners = cohort.rosterMode === 'course' && takesNewPeople(cohort, now);
  for (const enrollment of enrollments) {
    const member = memberOf.get(String(enrollment.userId));
    const filter = { cohortId: cohort._id, userId: enrollment.userId };
    if (member && !enrollment.active && member.active) {
      writes.push({ updateOne: { filter, update: { $set: { active: false, leftAt: now } } } });
    } else if (member && enrollment.active && !member.active && member.leftAt && !member.removedByHand) {
      writes.push({ updateOne: { filter, update: { $set: { active: true }, $unset: { leftAt: 1 } } } });
    } else if (
      !member &&
      enrollment.active &&
      addsLearners &&
      storedCourseRole(enrollment.role) === 'learner'
    ) {
      writes.push({
        updateOne: {
          filter,
          update: {
            $setOnInsert: {
              tenantId: cohort.tenantId,
              role: rosterRoleOf(cohort),
              active: true,
              source: 'roster',
              removedByHand: false,
            },
          },
          upsert: true,
        },
      });
    }
  }
  return writes;
}

/** The memberships of these cohorts (of one user, when given), by cohort id: one query for them all. */
async function membersByCohort(cohorts: Cohort[], userId?: string): Promise<Map<string, MemberState[]>> {
  const members = await CohortMemberModel.find(
    { cohortId: { $in: cohorts.map((cohort) => cohort._id) }, ...(userId ? { userId } : {}) },
    { cohortId: 1, userId: 1, active: 1, removedByHand: 1, leftAt: 1 },
  ).lean();
  const byCohort = new Map<string, MemberState[]>();
  for (const member of members) {
    const key = String(member.cohortId);
    const list = byCohort.get(key);
    if (list) list.push(member);
    else byCohort.set(key, [member]);
  }
  return byCohort;
}

/**
 * Brings the course's cohorts in line with its roster after a sync (NRPS) applied it to the enrollments: see
 * `rosterWritesFor`. Archived cohorts are history and left alone. Idempotent, so a retried sync is harmless.
 */
export async function reconcileCohortRosters(
  tenantId: string,
  courseId: string,
  now = new Date(),
): Promise<{ cohorts: number; changes: number }> {
  const cohorts = await CohortModel.find({ tenantId, courseId, archived: false }).lean();
  if (cohorts.length === 0) return { cohorts: 0, changes: 0 };
  const enrollments = await EnrollmentModel.find(
    { tenantId, courseId },
    { userId: 1, role: 1, active: 1 },
  ).lean();
  const membersOf = await membersByCohort(cohorts);
  let changes = 0;
  for (const cohort of cohorts) {
    const writes = rosterWritesFor(cohort, membersOf.get(String(cohort._id)) ?? [], enrollments, now);
    if (writes.length === 0) continue;
    // Unordered: one write refused (a launch upserting the same member at that moment) does not stop the rest.
    await CohortMemberModel.bulkWrite(writes as never, { ordered: false }).catch((error: unknown) => {
      if ((error as { code?: number }).code !== 11000) throw error;
    });
    changes += writes.length;
  }
  return { cohorts: cohorts.length, changes };
}

/**
 * A learner opening /cohorts joins the `course`-mode cohorts of the course they launched from (or comes back to
 * them after leaving and re-enrolling), so a cohort fills as people launch, before any roster sync.
 */
export async function joinCourseCohorts(viewer: CohortViewer, now = new Date()): Promise<void> {
  if (viewer.courseRole !== 'learner' || !viewer.courseId || viewer.grantedCohortIds) return;
  const cohorts = await CohortModel.find({
    tenantId: viewer.tenantId,
    courseId: viewer.courseId,
    rosterMode: 'course',
    archived: false,
  }).lean();
  if (cohorts.length === 0) return;
  const enrollment = await EnrollmentModel.findOne(
    { tenantId: viewer.tenantId, courseId: viewer.courseId, userId: viewer.userId },
    { userId: 1, role: 1, active: 1 },
  ).lean();
  if (!enrollment) return;
  const membersOf = await membersByCohort(cohorts, viewer.userId);
  for (const cohort of cohorts) {
    const writes = rosterWritesFor(cohort, membersOf.get(String(cohort._id)) ?? [], [enrollment], now);
    if (writes.length === 0) continue;
    await CohortMemberModel.bulkWrite(writes as never, { ordered: false }).catch((error: unknown) => {
      if ((error as { code?: number }).code !== 11000) throw error;
    });
  }
}

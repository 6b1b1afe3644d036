import { DateTime } from 'luxon';
import { OutboxJobModel } from '../../lti/services';
import { courseRoleLabels, EnrollmentModel, storedCourseRole, suggestsCohortMentor } from '../../tenancy';
import { openManagedCohort, type OpenedCohort } from './cohort.access';
import { mentorCapacity, namesOfUsers } from './cohort.members';
import type { Cohort, CohortKind } from './cohort.model';
import { cohortRoleLabels, rolesOfKind } from './cohort.service';
import { CohortMemberModel, type CohortRole } from './cohortMember.model';
import type { CohortViewer } from './cohortViewer';
import { PairModel } from './pair.model';

const sourceLabels: Record<string, string> = {
  roster: 'Course roster',
  manual: 'Added by hand',
  invitation: 'Invited (external)',
};

/** A moment in the cohort's zone, with the zone named: "3 May 2026, 14:02 (America/Chicago)". */
function momentIn(cohort: Pick<Cohort, 'timeZone'>, at: Date, withTime = true): string {
  const local = DateTime.fromJSDate(at).setZone(cohort.timeZone);
  return `${local.toFormat(withTime ? 'd LLL yyyy, HH:mm' : 'd LLL yyyy')} (${cohort.timeZone})`;
}

/** One row of the cohort's people table. */
export interface PersonRow {
  userId: string;
  name: string;
  role: CohortRole;
  roleLabel: string;
  /** The other role of the cohort's kind, offered as "Make mentee" and the like. */
  otherRole: { value: CohortRole; label: string };
  source: string;
  active: boolean;
  status: string;
  isMentor: boolean;
  /** Mentors: their capacity, whether it is their own, and how many mentees they have. */
  capacity?: number;
  ownCapacity?: string;
  mentees?: number;
  suggestedMentor: boolean;
}

/** Someone in the course but not in the cohort. */
export interface CourseMemberRow {
  userId: string;
  name: string;
  courseRole: string;
  suggestedMentor: boolean;
}

/** The latest roster sync of the cohort's course, in words. */
export interface RosterSyncStatus {
  state: string;
  statusClass: string;
  detail: string;
  at: string;
}

const syncStates: Record<string, [string, string]> = {
  pending: ['Waiting to run', 'pending'],
  sending: ['Running', 'pending'],
  sent: ['Done', 'sent'],
  parked: ['Stopped', 'parked'],
};

async function latestRosterSync(cohort: Cohort): Promise<RosterSyncStatus | undefined> {
  const job = await OutboxJobModel.findOne({
    tenantId: cohort.tenantId,
    kind: 'roster-sync',
    'payload.courseId': String(cohort.courseId),
  })
    .sort({ createdAt: -1 })
    .lean();
  if (!job) return undefined;
  const [state, statusClass] = syncStates[job.status] ?? ['Unknown', 'pending'];
  return {
    state,
    statusClass,
    detail: job.outcome || job.parkedReason || job.lastError || '',
    at: momentIn(cohort, job.sentAt ?? job.updatedAt ?? job.createdAt),
  };
}

/**
 * The people page of a cohort (its managers): members with role, source, status and mentor capacity; the course's
 * active people not in it (with the LMS's mentor hint), optionally filtered by name; the latest roster sync.
 */
export async function peoplePageFor(
  viewer: CohortViewer,
  cohortId: string,
  search = '',
): Promise<{
  opened: OpenedCohort;
  members: PersonRow[];
  courseMembers: CourseMemberRow[];
  courseMembersTotal: number;
  lastSync?: RosterSyncStatus;
}> {
  const opened = await openManagedCohort(viewer, cohortId);
  const { cohort } = opened;
  const kindRoles = rolesOfKind(cohort.kind as CohortKind);
  const [members, enrollments, pairs] = await Promise.all([
    CohortMemberModel.find({ tenantId: viewer.tenantId, cohortId: cohort._id }).lean(),
    EnrollmentModel.find(
      { tenantId: viewer.tenantId, courseId: cohort.courseId },
      { userId: 1, role: 1, ltiRoles: 1, active: 1 },
    ).lean(),
    PairModel.find({ tenantId: viewer.tenantId, cohortId: cohort._id, active: true }, { mentorId: 1 }).lean(),
  ]);
  const enrollmentOf = new Map(enrollments.map((enrollment) => [String(enrollment.userId), enrollment]));
  const memberIds = new Set(members.map((member) => String(member.userId)));
  const outside = enrollments.filter(
    (enrollment) => enrollment.active && !memberIds.has(String(enrollment.userId)),
  );
  const names = await namesOfUsers(viewer.tenantId, [
    ...memberIds,
    ...outside.map((enrollment) => String(enrollment.userId)),
  ]);
  const menteesOf = new Map<string, number>();
  for (const pair of pairs)
    menteesOf.set(String(pair.mentorId), (menteesOf.get(String(pair.mentorId)) ?? 0) + 1);

  const roleOrder = (role: string) => ['mentor', 'facilitator', 'mentee', 'member'].indexOf(role);
  const rows = members
    .map((member): PersonRow => {
      const userId = String(member.userId);
      const role = member.role as CohortRole;
      const other = kindRoles.find((candidate) => candidate !== role) ?? kindRoles[0]!;
      const isMentor = role === 'mentor';
      const status = member.active
        ? 'Active'
        : member.removedByHand
          ? `Inactive: removed by hand${member.removedAt ? ` on ${momentIn(cohort, member.removedAt, false)}` : ''}`
          : `Inactive: left the course${member.leftAt ? ` on ${momentIn(cohort, member.leftAt, false)}` : ''}`;
      return {
        userId,
        name: names.get(userId) ?? 'Unknown person',
        role,
        roleLabel: cohortRoleLabels[role],
        otherRole: { value: other, label: cohortRoleLabels[other] },
        source: sourceLabels[member.source] ?? member.source,
        active: member.active,
        status,
        isMentor,
        ...(isMentor
          ? {
              capacity: mentorCapacity(cohort, member),
              ownCapacity: member.capacity ? String(member.capacity) : '',
              mentees: menteesOf.get(userId) ?? 0,
            }
          : {}),
        suggestedMentor: suggestsCohortMentor(enrollmentOf.get(userId)?.ltiRoles ?? []),
      };
    })
    .sort(
      (a, b) =>
        Number(b.active) - Number(a.active) ||
        roleOrder(a.role) - roleOrder(b.role) ||
        a.name.localeCompare(b.name),
    );

  const needle = search.trim().toLocaleLowerCase();
  const outsideRows = outside
    .map((enrollment) => {
      const userId = String(enrollment.userId);
      const courseRole = storedCourseRole(enrollment.role) ?? 'learner';
      return {
        userId,
        name: names.get(userId) ?? 'Unknown person',
        courseRole: courseRoleLabels[courseRole],
        suggestedMentor: suggestsCohortMentor(enrollment.ltiRoles ?? []),
      };
    })
    .filter((row) => !needle || row.name.toLocaleLowerCase().includes(needle))
    .sort((a, b) => Number(b.suggestedMentor) - Number(a.suggestedMentor) || a.name.localeCompare(b.name));
  const lastSync = await latestRosterSync(cohort);
  return {
    opened,
    members: rows,
    // A course can run to thousands: the page lists a bounded number, and the name filter finds the rest.
    courseMembers: outsideRows.slice(0, 200),
    courseMembersTotal: outsideRows.length,
    ...(lastSync ? { lastSync } : {}),
  };
}

import mongoose from 'mongoose';
import { UserModel } from '../../tenancy';
import type { Cohort } from './cohort.model';
import { CohortMemberModel, type CohortMember, type CohortRole } from './cohortMember.model';
import { PairModel } from './pair.model';

/** How someone came into a cohort. */
export type CohortMemberSource = 'roster' | 'manual' | 'invitation';

/** One row of a cohort's people, with the name to show. */
export interface CohortMemberSummary {
  userId: string;
  name: string;
  role: CohortRole;
  active: boolean;
  /** Mentors: their own capacity, when it overrides the cohort's. */
  capacity?: number;
  source: CohortMemberSource;
  /** When they left the course (or were taken off by hand). */
  leftAt?: Date;
  removedByHand: boolean;
}

/** The name to show for a tenant user: full name, else given + family, else a neutral label with the LMS id. */
export function personName(user: {
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  subject?: string | null;
}): string {
  const joined = [user.givenName, user.familyName].filter(Boolean).join(' ');
  return user.name || joined || `Person ${user.subject ?? ''}`.trim();
}

/** Names of tenant users by id (one query), for lists of people. */
export async function namesOfUsers(tenantId: string, userIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)].filter((id) => mongoose.isValidObjectId(id));
  if (ids.length === 0) return new Map();
  const users = await UserModel.find(
    { tenantId, _id: { $in: ids } },
    { name: 1, givenName: 1, familyName: 1, subject: 1 },
  ).lean();
  return new Map(users.map((user) => [String(user._id), personName(user)]));
}

/**
 * The people of a cohort with their names, sorted by role then name. Filter by roles and to active members only
 * when asked; inactive members stay in history, so they are listed by default.
 */
export async function listCohortMembers(
  tenantId: string,
  cohortId: string,
  options: { roles?: CohortRole[]; activeOnly?: boolean } = {},
): Promise<CohortMemberSummary[]> {
  if (!mongoose.isValidObjectId(cohortId) || !mongoose.isValidObjectId(tenantId)) return [];
  const filter: Record<string, unknown> = { tenantId, cohortId };
  if (options.roles) filter.role = { $in: options.roles };
  if (options.activeOnly) filter.active = true;
  const members = await CohortMemberModel.find(filter).lean();
  const names = await namesOfUsers(
    tenantId,
    members.map((member) => String(member.userId)),
  );
  const roleOrder: CohortRole[] = ['mentor', 'facilitator', 'mentee', 'member'];
  return members
    .map((member) => ({
      userId: String(member.userId),
      name: names.get(String(member.userId)) ?? 'Unknown person',
      role: member.role as CohortRole,
      active: member.active,
      ...(member.capacity ? { capacity: member.capacity } : {}),
      source: member.source as CohortMemberSource,
      ...(member.leftAt ? { leftAt: member.leftAt } : {}),
      removedByHand: member.removedByHand,
    }))
    .sort(
      (a, b) =>
        roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role) ||
        Number(b.active) - Number(a.active) ||
        a.name.localeCompare(b.name),
    );
}

/** The user ids of a mentor's mentees in active pairs (of one cohort, or all of the tenant's). */
export async function activeMenteeIdsOf(
  tenantId: string,
  mentorUserId: string,
  cohortId?: string,
): Promise<string[]> {
  if (!mongoose.isValidObjectId(mentorUserId)) return [];
  if (cohortId !== undefined && !mongoose.isValidObjectId(cohortId)) return [];
  const pairs = await PairModel.find(
    { tenantId, mentorId: mentorUserId, active: true, ...(cohortId ? { cohortId } : {}) },
    { menteeId: 1 },
  ).lean();
  return [...new Set(pairs.map((pair) => String(pair.menteeId)))];
}

/** The user ids of a mentee's mentors in active pairs (of one cohort, or all of the tenant's). */
export async function activeMentorIdsOf(
  tenantId: string,
  menteeUserId: string,
  cohortId?: string,
): Promise<string[]> {
  if (!mongoose.isValidObjectId(menteeUserId)) return [];
  if (cohortId !== undefined && !mongoose.isValidObjectId(cohortId)) return [];
  const pairs = await PairModel.find(
    { tenantId, menteeId: menteeUserId, active: true, ...(cohortId ? { cohortId } : {}) },
    { mentorId: 1 },
  ).lean();
  return [...new Set(pairs.map((pair) => String(pair.mentorId)))];
}

/**
 * How many mentees a mentor takes in this cohort: their own capacity when set by an instructor, else the
 * cohort's capacity per mentor (at least 1).
 */
export function mentorCapacity(
  cohort: Pick<Cohort, 'capacityPerMentor'>,
  membership?: Pick<CohortMember, 'capacity'> | null,
): number {
  return membership?.capacity ?? cohort.capacityPerMentor ?? 3;
}

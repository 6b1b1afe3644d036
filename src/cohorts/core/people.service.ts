import mongoose from 'mongoose';
import { requestRosterSync } from '../../lti/services';
import type { Actor } from '../../shared/auth/actor';
import { ValidationError } from '../../shared/errors';
import { EnrollmentModel } from '../../tenancy';
import { openManagedCohort } from './cohort.access';
import type { Cohort, CohortKind } from './cohort.model';
import { rolesOfKind } from './cohort.service';
import { CohortMemberModel, type CohortRole } from './cohortMember.model';
import type { CohortViewer } from './cohortViewer';
import { PairModel } from './pair.model';

function refuse(field: string, message: string): never {
  throw new ValidationError(message, { [field]: message });
}

function assertRoleOfKind(cohort: Cohort, role: CohortRole): void {
  if (!rolesOfKind(cohort.kind as CohortKind).includes(role)) {
    refuse(
      'role',
      cohort.kind === 'mentoring'
        ? 'A mentoring cohort has mentors and mentees.'
        : 'A peer-support circle has facilitators and members.',
    );
  }
}

async function memberOf(cohort: Cohort, userId: string) {
  const member = mongoose.isValidObjectId(userId)
    ? await CohortMemberModel.findOne({ tenantId: cohort.tenantId, cohortId: cohort._id, userId }).lean()
    : null;
  if (!member) refuse('userId', 'This person is not in the cohort.');
  return member;
}

async function activePairCount(cohort: Cohort, userId: string): Promise<number> {
  return PairModel.countDocuments({
    tenantId: cohort.tenantId,
    cohortId: cohort._id,
    active: true,
    $or: [{ mentorId: userId }, { menteeId: userId }],
  });
}

/**
 * Adds someone active in the cohort's course in a role of the cohort's kind. Someone who was in it before comes
 * back in that role (a hand edit: a roster sync keeps it).
 */
export async function addCohortMember(
  viewer: CohortViewer,
  cohortId: string,
  input: { userId: string; role: CohortRole },
): Promise<void> {
  const { cohort } = await openManagedCohort(viewer, cohortId);
  assertRoleOfKind(cohort, input.role);
  const enrolled = await EnrollmentModel.exists({
    tenantId: viewer.tenantId,
    courseId: cohort.courseId,
    userId: input.userId,
    active: true,
  });
  if (!enrolled) refuse('userId', 'Only people active in the cohort’s course can be added.');
  const existing = await CohortMemberModel.findOne({ cohortId: cohort._id, userId: input.userId }).lean();
  if (existing?.active) refuse('userId', 'This person is already in the cohort.');
  await CohortMemberModel.updateOne(
    { cohortId: cohort._id, userId: input.userId },
    {
      $set: { tenantId: viewer.tenantId, role: input.role, active: true, removedByHand: false },
      $unset: { leftAt: 1, removedAt: 1 },
      $setOnInsert: { source: 'manual' },
    },
    { upsert: true },
  );
}

/**
 * Changes a member's role within the cohort's kind. Refused while they are in an active pair (the pair would
 * then name a mentor who is no longer one): end the pair on the matching page first.
 */
export async function changeCohortMemberRole(
  viewer: CohortViewer,
  cohortId: string,
  userId: string,
  role: CohortRole,
): Promise<void> {
  const { cohort } = await openManagedCohort(viewer, cohortId);
  assertRoleOfKind(cohort, role);
  const member = await memberOf(cohort, userId);
  if (member.role === role) return;
  if ((await activePairCount(cohort, userId)) > 0) {
    refuse(
      'role',
      'This person is in an active pair. End the pair on the Matching page before changing their role.',
    );
  }
  await CohortMemberModel.updateOne(
    { _id: member._id },
    role === 'mentor' ? { $set: { role } } : { $set: { role }, $unset: { capacity: 1 } },
  );
}

/**
 * Sets a mentor's own capacity (undefined: back to the cohort's capacity per mentor). Never below the mentees
 * they already have: the matching would otherwise show a mentor over capacity.
 */
export async function setMentorCapacity(
  viewer: CohortViewer,
  cohortId: string,
  userId: string,
  capacity: number | undefined,
): Promise<void> {
  const { cohort } = await openManagedCohort(viewer, cohortId);
  const member = await memberOf(cohort, userId);
  if (member.role !== 'mentor') refuse('capacity', 'Only mentors have a capacity.');
  const mentees = await PairModel.countDocuments({
    tenantId: cohort.tenantId,
    cohortId: cohort._id,
    mentorId: userId,
    active: true,
  });
  const effective = capacity ?? cohort.capacityPerMentor ?? 3;
  if (effective < mentees) {
    refuse(
      'capacity',
      `This mentor already has ${mentees} mentees. Enter ${mentees} or more, or end a pair on the Matching page first.`,
    );
  }
  await CohortMemberModel.updateOne(
    { _id: member._id },
    capacity === undefined ? { $unset: { capacity: 1 } } : { $set: { capacity } },
  );
}

/**
 * Takes someone off the cohort by hand: inactive (history kept) and `removedByHand`, so a roster sync does not
 * bring them back. Their active pairs end with them (ended, not deleted), so no mentor keeps reaching a mentee.
 */
export async function removeCohortMember(
  viewer: CohortViewer,
  cohortId: string,
  userId: string,
): Promise<void> {
  const { cohort } = await openManagedCohort(viewer, cohortId);
  const member = await memberOf(cohort, userId);
  const now = new Date();
  await CohortMemberModel.updateOne(
    { _id: member._id },
    { $set: { active: false, removedByHand: true, removedAt: now } },
  );
  await PairModel.updateMany(
    {
      tenantId: cohort.tenantId,
      cohortId: cohort._id,
      active: true,
      $or: [{ mentorId: userId }, { menteeId: userId }],
    },
    { $set: { active: false, endedAt: now, endedBy: viewer.userId } },
  );
}

/** Brings back someone who was removed or left: active again, no longer `removedByHand`. */
export async function restoreCohortMember(
  viewer: CohortViewer,
  cohortId: string,
  userId: string,
): Promise<void> {
  const { cohort } = await openManagedCohort(viewer, cohortId);
  const member = await memberOf(cohort, userId);
  await CohortMemberModel.updateOne(
    { _id: member._id },
    { $set: { active: true, removedByHand: false }, $unset: { removedAt: 1, leftAt: 1 } },
  );
}

/** Queues an NRPS sync of the cohort's course (its managers; the outbox runs it, then cohorts reconcile). */
export async function requestCohortRosterSync(
  viewer: CohortViewer,
  actor: Actor,
  cohortId: string,
): Promise<{ jobId: string; created: boolean }> {
  const { cohort } = await openManagedCohort(viewer, cohortId);
  return requestRosterSync(actor, String(cohort.courseId));
}

// A cohort manager's side of external mentor invitations: list, invite, revoke (issue 12, item 8).
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { revokeCohortMentor } from '../../accounts';
import { sha256Hex } from '../../shared/crypto/digest';
import { NotFoundError, ValidationError } from '../../shared/errors';
import {
  CohortMemberModel,
  PairModel,
  isCohortOpenForExternals,
  namesOfUsers,
  openManagedCohort,
  type CohortViewer,
  type OpenedCohort,
} from '../core';
import { shownInstant, type ShownInstant } from './invitation.format';
import { MentorInvitationModel, type MentorInvitation } from './invitation.model';
import { assertInvitesMentors, invitationStatus, type InvitationStatus } from './invitation.policy';
import type { InviteForm } from './invitation.schemas';

type Id = mongoose.Types.ObjectId | string;

/** One line of the invitations table. */
export interface InvitationRow {
  id: string;
  name: string;
  email: string;
  status: InvitationStatus;
  statusLabel: string;
  invitedByName: string;
  sentAt: ShownInstant;
  /** What the status's date is: when it expires or expired, was accepted or revoked. */
  statusAt: ShownInstant;
  /** Pending (the link dies) or accepted (the mentor's access ends). */
  canRevoke: boolean;
}

const statusLabels: Record<InvitationStatus, string> = {
  pending: 'Pending: expires',
  accepted: 'Accepted',
  revoked: 'Revoked',
  expired: 'Expired',
};

function rowOf(invitation: MentorInvitation, timeZone: string, now: Date): InvitationRow {
  const status = invitationStatus(invitation, now);
  const statusAt =
    status === 'accepted'
      ? invitation.acceptedAt!
      : status === 'revoked'
        ? invitation.revokedAt!
        : invitation.expiresAt;
  return {
    id: String(invitation._id),
    name: invitation.name,
    email: invitation.email,
    status,
    statusLabel: statusLabels[status],
    invitedByName: invitation.invitedByName,
    sentAt: shownInstant(invitation.createdAt, timeZone),
    statusAt: shownInstant(statusAt, timeZone),
    canRevoke: status === 'pending' || status === 'accepted',
  };
}

/** The invitations page: the cohort, whether it still takes mentors, and its invitations, newest first. */
export interface InvitationsPage {
  opened: OpenedCohort;
  /** Archived or ended cohorts take no new mentors. */
  acceptsMentors: boolean;
  rows: InvitationRow[];
}

/** Opens a cohort whose invitations the viewer manages: 404/403 as openManagedCohort, 404 for a peer circle. */
async function openInvitingCohort(viewer: CohortViewer, cohortId: string): Promise<OpenedCohort> {
  const opened = await openManagedCohort(viewer, cohortId);
  assertInvitesMentors(opened.cohort);
  return opened;
}

/** The most invitations one page lists (a cohort invites a handful; this bounds a scan of a runaway one). */
const listLimit = 200;

export async function invitationsPageFor(
  viewer: CohortViewer,
  cohortId: string,
  now = new Date(),
): Promise<InvitationsPage> {
  const opened = await openInvitingCohort(viewer, cohortId);
  const invitations = await MentorInvitationModel.find({
    tenantId: viewer.tenantId,
    cohortId: opened.cohort._id,
  })
    .sort({ createdAt: -1 })
    .limit(listLimit)
    .lean();
  return {
    opened,
    acceptsMentors: isCohortOpenForExternals(opened.cohort, now),
    rows: invitations.map((invitation) => rowOf(invitation, opened.cohort.timeZone, now)),
  };
}

/**
 * Invites a mentor by e-mail: a new single-use link, valid `days` days, whose token is returned once and never
 * stored (only its SHA-256). A pending invitation of the same address to this cohort is revoked (the manager
 * lost the link, or made a typo in the name); an address that already mentors this cohort through an accepted
 * invitation is refused at the field.
 */
export async function inviteMentor(
  viewer: CohortViewer,
  cohortId: string,
  input: InviteForm,
  options: { days: number; now?: Date },
): Promise<{ invitationId: string; token: string }> {
  const now = options.now ?? new Date();
  const opened = await openInvitingCohort(viewer, cohortId);
  if (!isCohortOpenForExternals(opened.cohort, now)) {
    const message = 'This cohort has ended or is archived: it takes no more mentors.';
    throw new ValidationError(message, { email: message });
  }
  const scope = { tenantId: viewer.tenantId, cohortId: opened.cohort._id, email: input.email };
  if (await MentorInvitationModel.exists({ ...scope, state: 'accepted' })) {
    const message =
      'This address already mentors this cohort. Revoke that invitation first to invite it again.';
    throw new ValidationError(message, { email: message });
  }
  await MentorInvitationModel.updateMany(
    { ...scope, state: 'pending' },
    { $set: { state: 'revoked', revokedAt: now, revokedBy: viewer.userId } },
  );
  // The invitee reads the inviter's full name (the session's may be a given name only).
  const inviterName =
    (await namesOfUsers(viewer.tenantId, [viewer.userId])).get(viewer.userId) ?? viewer.name;
  const token = randomBytes(32).toString('base64url');
  const invitation = await MentorInvitationModel.create({
    ...scope,
    name: input.name,
    tokenHash: sha256Hex(token),
    invitedBy: viewer.userId,
    invitedByName: inviterName,
    createdAt: now,
    expiresAt: new Date(now.getTime() + options.days * 86_400_000),
  });
  return { invitationId: String(invitation._id), token };
}

/**
 * The just-created invitation a link belongs to, for showing that link once on the page after the redirect:
 * only when the token really is that pending invitation's, in this cohort (a cookie is the client's to forge).
 * `opened` is the cohort as invitationsPageFor opened it for this request (its manager check already passed).
 */
export async function createdInvitation(
  opened: OpenedCohort,
  created: { invitationId: string; token: string },
  now = new Date(),
): Promise<InvitationRow | undefined> {
  if (!mongoose.isValidObjectId(created.invitationId)) return undefined;
  const invitation = await MentorInvitationModel.findOne({
    _id: created.invitationId,
    tenantId: opened.cohort.tenantId,
    cohortId: opened.cohort._id,
    tokenHash: sha256Hex(created.token),
  }).lean();
  if (!invitation || invitationStatus(invitation, now) !== 'pending') return undefined;
  return rowOf(invitation, opened.cohort.timeZone, now);
}

/**
 * Ends what an accepted invitation gave, at once: the account's grant for the cohort (its sessions lose the
 * cohort on their next request), the mentor's membership (inactive, kept for history, not restored by a roster
 * sync) and their active pairs (the mentees show as unmatched, to be paired again).
 */
export async function endExternalMentorship(
  invitation: { cohortId: Id; accountId?: Id | null; userId?: Id | null },
  endedBy: string,
  now: Date,
): Promise<void> {
  if (invitation.accountId) {
    await revokeCohortMentor(
      String(invitation.accountId),
      String(invitation.cohortId),
      `cohort manager ${endedBy}`,
    );
  }
  if (!invitation.userId) return;
  await CohortMemberModel.updateOne(
    { cohortId: invitation.cohortId, userId: invitation.userId },
    { $set: { active: false, leftAt: now, removedByHand: true } },
  );
  await PairModel.updateMany(
    { cohortId: invitation.cohortId, mentorId: invitation.userId, active: true },
    { $set: { active: false, endedAt: now, endedBy } },
  );
}

/**
 * Revokes an invitation: a pending link stops working; an accepted one's mentor loses the cohort at once
 * (endExternalMentorship). Revoking a revoked one changes nothing. 404 for an id not of this cohort.
 */
export async function revokeInvitation(
  viewer: CohortViewer,
  cohortId: string,
  invitationId: string,
  now = new Date(),
): Promise<void> {
  const opened = await openInvitingCohort(viewer, cohortId);
  const filter = { _id: invitationId, tenantId: viewer.tenantId, cohortId: opened.cohort._id };
  if (!mongoose.isValidObjectId(invitationId) || !(await MentorInvitationModel.exists(filter))) {
    throw new NotFoundError('No such invitation in this cohort.');
  }
  // One conditional write decides it; the document it returns is read after an acceptance's own writes of the
  // account and user, or else that acceptance sees `revoked` when it checks again and undoes itself.
  const revoked = await MentorInvitationModel.findOneAndUpdate(
    { ...filter, state: { $in: ['pending', 'accepted'] } },
    { $set: { state: 'revoked', revokedAt: now, revokedBy: viewer.userId } },
    { new: true },
  ).lean();
  if (revoked) await endExternalMentorship(revoked, viewer.userId, now);
}

// The invited mentor's side: open a link, accept it with a new or an existing Rounds account (issue 12, item 8).
import {
  AccountModel,
  createAccount,
  grantCohortMentor,
  normalizeEmail,
  passwordProblem,
  secondFactorStep,
  setPasswordWithLink,
} from '../../accounts';
import type { AccountActor } from '../../shared/auth/actor';
import { sha256Hex } from '../../shared/crypto/digest';
import { ValidationError } from '../../shared/errors';
import { CourseModel, TenantModel, UserModel } from '../../tenancy';
import { CohortMemberModel, CohortModel, externalMentorSubject } from '../core';
import { shownInstant, type ShownInstant } from './invitation.format';
import { MentorInvitationModel, type MentorInvitation } from './invitation.model';
import {
  UnusableInvitationError,
  acceptanceRoute,
  assertInvitationPending,
  assertInvitationUsable,
  assertMayAcceptAs,
  type AcceptanceRoute,
} from './invitation.policy';
import type { NewAccountForm } from './invitation.schemas';
import { endExternalMentorship } from './invitation.service';

/** What the invitation page tells the person holding the link. */
export interface InvitationView {
  cohortName: string;
  cohortDescription: string;
  courseTitle: string;
  /** The LMS (institution) the cohort belongs to, as it announced itself. */
  institution: string;
  inviterName: string;
  email: string;
  name: string;
  expiresAt: ShownInstant;
  route: AcceptanceRoute;
  /** Signed in as some other account (or from an LMS): accepting needs the invited one. */
  signedInElsewhere: boolean;
}

const unknownLink =
  'This invitation link is not valid. Check that you copied all of it, or ask for a new one.';

/** The invitation a token opens and its cohort, if it can still be accepted (UnusableInvitationError if not). */
async function usableInvitation(token: string, now: Date) {
  const invitation = await MentorInvitationModel.findOne({ tokenHash: sha256Hex(token) }).lean();
  if (!invitation) throw new UnusableInvitationError(unknownLink, 404);
  const cohort = await CohortModel.findOne({
    _id: invitation.cohortId,
    tenantId: invitation.tenantId,
  }).lean();
  assertInvitationUsable(invitation, cohort, now);
  return { invitation, cohort };
}

async function routeFor(invitation: MentorInvitation, account: AccountActor | undefined) {
  const hasAccount = Boolean(await AccountModel.exists({ email: invitation.email }));
  const signedIn = account && {
    email: account.email,
    secondFactorPending: Boolean(secondFactorStep(account)),
  };
  return acceptanceRoute(invitation, signedIn, hasAccount);
}

/** The page of an invitation link: who invites them to what, and how they may accept. */
export async function openInvitation(
  token: string,
  session: { account?: AccountActor; signedIn: boolean },
  now = new Date(),
): Promise<InvitationView> {
  const { invitation, cohort } = await usableInvitation(token, now);
  const [course, tenant] = await Promise.all([
    CourseModel.findOne(
      { _id: cohort.courseId, tenantId: invitation.tenantId },
      { title: 1, label: 1 },
    ).lean(),
    TenantModel.findById(invitation.tenantId, { platformName: 1 }).lean(),
  ]);
  const route = await routeFor(invitation, session.account);
  return {
    cohortName: cohort.name,
    cohortDescription: cohort.description,
    courseTitle: course?.title || course?.label || '',
    institution: tenant?.platformName ?? '',
    inviterName: invitation.invitedByName,
    email: invitation.email,
    name: invitation.name,
    expiresAt: shownInstant(invitation.expiresAt, cohort.timeZone),
    route,
    signedInElsewhere: session.signedIn && route !== 'accept',
  };
}

/**
 * Spends the invitation in one conditional write (pending and unexpired → accepted): of two tabs or two people
 * with the same link, one wins; the other is told it was already accepted.
 */
async function claim(invitation: MentorInvitation, now: Date): Promise<void> {
  const claimed = await MentorInvitationModel.updateOne(
    { _id: invitation._id, state: 'pending', expiresAt: { $gt: now } },
    { $set: { state: 'accepted', acceptedAt: now } },
  );
  if (claimed.modifiedCount !== 1) {
    const fresh = await MentorInvitationModel.findById(invitation._id).lean();
    assertInvitationPending(fresh ?? { ...invitation, state: 'revoked' }, now);
    throw new UnusableInvitationError('This invitation was already accepted.', 410);
  }
}

/**
 * Makes the claimed invitation's account a mentor of its cohort: the account's grant, the tenant User that
 * stands for the account (`account:<accountId>`, named as the person gave their name) and an active mentor
 * membership. If the invitation was revoked meanwhile, undoes it all (the revocation wins).
 */
async function joinCohort(
  invitation: MentorInvitation,
  account: { accountId: string; name: string; email: string },
  now: Date,
): Promise<void> {
  const tenantId = String(invitation.tenantId);
  const cohortId = String(invitation.cohortId);
  const subject = externalMentorSubject(account.accountId);
  const user = await UserModel.findOneAndUpdate(
    { tenantId, subject },
    { $setOnInsert: { tenantId, subject, name: account.name, email: account.email } },
    { upsert: true, new: true },
  ).lean();
  const userId = String(user!._id);
  await MentorInvitationModel.updateOne(
    { _id: invitation._id },
    { $set: { accountId: account.accountId, userId } },
  );
  await grantCohortMentor(account.accountId, { tenantId, cohortId }, `invitation ${String(invitation._id)}`);
  await CohortMemberModel.updateOne(
    { cohortId, userId },
    {
      $set: { role: 'mentor', active: true, source: 'invitation', removedByHand: false },
      $unset: { leftAt: 1 },
      $setOnInsert: { tenantId, cohortId, userId },
    },
    { upsert: true },
  );
  const after = await MentorInvitationModel.findById(invitation._id, { state: 1, revokedBy: 1 }).lean();
  if (after?.state === 'revoked') {
    await endExternalMentorship(
      { cohortId: invitation.cohortId, accountId: account.accountId, userId },
      after.revokedBy ? String(after.revokedBy) : userId,
      now,
    );
  }
}

/** Accepts as the signed-in account, which must be the invited address (and past its second factor). */
export async function acceptAsAccount(token: string, account: AccountActor, now = new Date()): Promise<void> {
  const { invitation } = await usableInvitation(token, now);
  assertMayAcceptAs(await routeFor(invitation, account), 'accept');
  await claim(invitation, now);
  await joinCohort(
    invitation,
    { accountId: account.accountId, name: account.name || invitation.name, email: account.email },
    now,
  );
}

/**
 * Accepts by creating the invited address's Rounds account: the accounts' password rules first (nothing is
 * spent or made for a refused password), then the invitation is claimed, the account created with the cohort's
 * mentor grant and its password set through the accounts' own one-time link. Returns the new account's id, for
 * the caller to sign this browser in. Throws ValidationError with field messages.
 */
export async function acceptWithNewAccount(
  token: string,
  form: NewAccountForm,
  context: { address: string; now?: Date },
): Promise<{ accountId: string }> {
  const now = context.now ?? new Date();
  const { invitation } = await usableInvitation(token, now);
  assertMayAcceptAs(await routeFor(invitation, undefined), 'create-account');
  const email = normalizeEmail(invitation.email);
  const problem = passwordProblem(form.password, { email, name: form.name, grants: [{ role: 'mentor' }] });
  if (problem) throw new ValidationError(problem, { password: problem });
  if (form.password !== form.confirmation) {
    const message = 'The two passwords are not the same.';
    throw new ValidationError(message, { confirmation: message });
  }
  await claim(invitation, now);
  let created: { accountId: string; token: string };
  try {
    created = await createAccount(
      {
        email,
        name: form.name,
        role: 'mentor',
        tenantId: String(invitation.tenantId),
        cohortId: String(invitation.cohortId),
      },
      { linkDays: 1, grantedBy: `invitation ${String(invitation._id)}` },
    );
  } catch (error) {
    // Someone made an account with this address meanwhile: the link is given back, to accept by signing in.
    await MentorInvitationModel.updateOne(
      { _id: invitation._id, state: 'accepted', accountId: { $exists: false } },
      { $set: { state: 'pending' }, $unset: { acceptedAt: 1 } },
    );
    if (!(error instanceof ValidationError) || !error.fields.email) throw error;
    const message =
      'A Rounds account with this address exists now: sign in to it, then open this link again.';
    throw new ValidationError(message, { email: message });
  }
  await setPasswordWithLink({
    token: created.token,
    password: form.password,
    confirmation: form.confirmation,
    address: context.address,
  });
  await joinCohort(invitation, { accountId: created.accountId, name: form.name, email }, now);
  return { accountId: created.accountId };
}

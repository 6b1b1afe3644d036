import type { AccountActor } from '../../shared/auth/actor';
import { AppError, ForbiddenError, NotFoundError } from '../../shared/errors';
import { isCohortOpenForExternals, type Cohort } from '../core';
import type { MentorInvitation } from './invitation.model';

/**
 * Invitation rules (issue 12, item 8), pure and deny by default: who may invite, when a link still works, and
 * which account may accept it.
 */

/** What an invitation is now: a pending one past its expiry is expired, whatever is stored. */
export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export function invitationStatus(
  invitation: Pick<MentorInvitation, 'state' | 'expiresAt'>,
  now: Date,
): InvitationStatus {
  if (invitation.state === 'pending' && invitation.expiresAt <= now) return 'expired';
  return invitation.state as InvitationStatus;
}

/** Only mentoring cohorts have mentors to invite; a peer circle's facilitators come from the course. */
export function assertInvitesMentors(cohort: Pick<Cohort, 'kind'>): void {
  if (cohort.kind !== 'mentoring') {
    throw new NotFoundError('Only mentoring cohorts invite mentors from other institutions.');
  }
}

/** A link that no longer opens anything: 404 for an unknown token, 410 for a spent, withdrawn or late one. */
export class UnusableInvitationError extends AppError {
  constructor(message: string, status: 404 | 410) {
    super(message, status, 'invitation_unusable');
    this.pageTitle = 'This invitation cannot be used';
  }
}

/** Throws UnusableInvitationError unless the invitation is pending and unexpired. */
export function assertInvitationPending(
  invitation: Pick<MentorInvitation, 'state' | 'expiresAt' | 'invitedByName'>,
  now: Date,
): void {
  const inviter = invitation.invitedByName || 'the person who invited you';
  const status = invitationStatus(invitation, now);
  if (status === 'accepted') {
    throw new UnusableInvitationError(
      'This invitation was already accepted. Sign in to your Rounds account to reach the cohort.',
      410,
    );
  }
  if (status === 'revoked') {
    throw new UnusableInvitationError(
      `This invitation was withdrawn. Ask ${inviter} if you think it should not have been.`,
      410,
    );
  }
  if (status === 'expired') {
    throw new UnusableInvitationError(`This invitation has expired. Ask ${inviter} for a new link.`, 410);
  }
}

/**
 * Throws UnusableInvitationError unless the invitation can still be accepted: pending, unexpired, and its
 * cohort still a running mentoring cohort (an archived or ended cohort takes no more mentors).
 */
export function assertInvitationUsable<C extends Pick<Cohort, 'kind' | 'archived' | 'endDate' | 'timeZone'>>(
  invitation: Pick<MentorInvitation, 'state' | 'expiresAt' | 'invitedByName'>,
  cohort: C | null | undefined,
  now: Date,
): asserts cohort is C {
  assertInvitationPending(invitation, now);
  if (!cohort || cohort.kind !== 'mentoring' || !isCohortOpenForExternals(cohort, now)) {
    throw new UnusableInvitationError('This cohort has ended or closed: it takes no more mentors.', 410);
  }
}

/** How the person holding a link may accept it, given who their browser is signed in as. */
export type AcceptanceRoute =
  /** No Rounds account has the invited address: they create one with a password. */
  | 'create-account'
  /** Signed in as the account with the invited address: one button. */
  | 'accept'
  /** An account has the address, but this browser is not signed in as it. */
  | 'sign-in';

/**
 * Which way in: an account may accept only when it is the invited address (no account answers for another
 * person's invitation) and its session has passed any second factor its roles ask for (`secondFactorPending`:
 * the accounts' secondFactorStep), so a half-finished sign-in of an operator cannot take on a cohort.
 */
export function acceptanceRoute(
  invitation: Pick<MentorInvitation, 'email'>,
  account: (Pick<AccountActor, 'email'> & { secondFactorPending: boolean }) | undefined,
  invitedAddressHasAccount: boolean,
): AcceptanceRoute {
  if (!invitedAddressHasAccount) return 'create-account';
  const isInvitee = account !== undefined && account.email === invitation.email;
  return isInvitee && !account.secondFactorPending ? 'accept' : 'sign-in';
}

/** Throws ForbiddenError unless the route allows accepting as this account. */
export function assertMayAcceptAs(route: AcceptanceRoute, expected: AcceptanceRoute): void {
  if (route !== expected) {
    throw new ForbiddenError(
      'Sign in with the e-mail address this invitation was sent to, then open the link again.',
    );
  }
}

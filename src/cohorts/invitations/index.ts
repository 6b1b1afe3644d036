// The door to cohorts/invitations/: mentors from other institutions, invited by e-mail (issue 12, item 8).
import { Router } from 'express';
import type { Config } from '../../config';
import { invitationAcceptanceRouter } from './acceptance.routes';
import { cohortInvitationsRouter } from './invitation.routes';

/** The managers' invitations page of a cohort and the invited mentor's `/invitations/:token` page. */
export function invitationsRouter({ config }: { config: Config }): Router {
  const router = Router();
  router.use(cohortInvitationsRouter({ config }));
  router.use(invitationAcceptanceRouter({ config }));
  return router;
}

export { MentorInvitationModel } from './invitation.model';
export type { MentorInvitation } from './invitation.model';

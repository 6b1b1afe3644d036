import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { cookieName, crossSiteCookieOptions } from '../../shared/http/session';
import { cohortNavFor, requireCohortViewer, type OpenedCohort } from '../core';
import { invitationUrl } from './invitation.format';
import { createdInvitation, invitationsPageFor, inviteMentor, revokeInvitation } from './invitation.service';
import { inviteFormSchema } from './invitation.schemas';

/** Each form field's input id, for the error summary's links. */
const fieldIds: Record<string, string> = { name: 'mentor-name', email: 'mentor-email' };

const notices: Record<string, string> = {
  revoked: 'Revoked. The link no longer works; a mentor who had accepted has lost access to this cohort.',
};

/** How long the new link waits in its cookie for the page after the redirect (it is shown once, then dropped). */
const createdCookieMs = 10 * 60_000;

function typedForm(body: unknown) {
  const fields = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) =>
    typeof fields[name] === 'string' ? (fields[name] as string).slice(0, 400) : '';
  return { name: text('name'), email: text('email') };
}

/**
 * `/cohorts/:cohortId/invitations`: a mentoring cohort's managers invite mentors from other institutions by
 * e-mail, copy the single-use link (shown once: Rounds keeps only its SHA-256 and sends no e-mail), and see and
 * revoke invitations (issue 12, item 8).
 */
export function cohortInvitationsRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];
  const createdCookie = cookieName(config, 'invitation_link');
  const { maxAge: _maxAge, ...clearOptions } = crossSiteCookieOptions(config, 0);

  /** The link made by the POST before this GET, from its cookie, if it is this cohort's live invitation. */
  async function justCreated(req: Request, res: Response, opened: OpenedCohort) {
    const cookie = (req.cookies as Record<string, unknown> | undefined)?.[createdCookie];
    if (typeof cookie !== 'string') return undefined;
    res.clearCookie(createdCookie, clearOptions);
    const [invitationId = '', token = ''] = cookie.split('.');
    if (invitationId !== req.query.created) return undefined;
    const row = await createdInvitation(opened, { invitationId, token });
    return row ? { ...row, url: invitationUrl(config.publicUrl, token) } : undefined;
  }

  async function renderPage(
    req: Request,
    res: Response,
    refused?: { form: ReturnType<typeof typedForm>; errors: Record<string, string> },
  ) {
    const cohortId = req.params.cohortId as string;
    const page = await invitationsPageFor(req.cohortViewer!, cohortId);
    const created = refused ? undefined : await justCreated(req, res, page.opened);
    const errors = refused?.errors ?? {};
    const summary = Object.entries(errors).map(([field, message]) => ({
      href: `#${fieldIds[field] ?? 'mentor-email'}`,
      message,
    }));
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    // The page may carry a one-time link: no cache keeps a copy.
    res.set('Cache-Control', 'no-store');
    res.render('cohorts/invitations/invitations', {
      title: summary.length ? 'Error: External mentors' : 'External mentors',
      cohortNav: cohortNavFor(page.opened, 'invitations'),
      cohortId,
      cohortName: page.opened.cohort.name,
      timeZone: page.opened.cohort.timeZone,
      validDays: config.mentorInvitationDays,
      acceptsMentors: page.acceptsMentors,
      rows: page.rows,
      created,
      notice: !refused && Object.hasOwn(notices, done) ? notices[done] : undefined,
      errors: summary,
      fieldErrors: errors,
      form: refused?.form ?? { name: '', email: '' },
    });
  }

  router.get('/cohorts/:cohortId/invitations', ...guard, (req, res) => renderPage(req, res));

  router.post('/cohorts/:cohortId/invitations', ...guard, async (req, res) => {
    const cohortId = req.params.cohortId as string;
    const parsed = inviteFormSchema.safeParse(req.body ?? {});
    let created: { invitationId: string; token: string };
    try {
      if (!parsed.success) throw new ValidationError('', fieldErrors(parsed.error));
      created = await inviteMentor(req.cohortViewer!, cohortId, parsed.data, {
        days: config.mentorInvitationDays,
      });
    } catch (error) {
      if (!(error instanceof ValidationError) || Object.keys(error.fields).length === 0) throw error;
      res.status(400);
      return renderPage(req, res, { form: typedForm(req.body), errors: error.fields });
    }
    res.cookie(
      createdCookie,
      `${created.invitationId}.${created.token}`,
      crossSiteCookieOptions(config, createdCookieMs),
    );
    res.redirect(303, `/cohorts/${cohortId}/invitations?created=${created.invitationId}#created-link`);
  });

  router.post('/cohorts/:cohortId/invitations/:invitationId/revoke', ...guard, async (req, res) => {
    const cohortId = req.params.cohortId as string;
    await revokeInvitation(req.cohortViewer!, cohortId, req.params.invitationId as string);
    res.redirect(303, `/cohorts/${cohortId}/invitations?done=revoked`);
  });

  return router;
}

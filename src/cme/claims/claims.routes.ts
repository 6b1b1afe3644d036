import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { requireRole } from '../../shared/http/requireRole';
import type { ClaimForm } from './claims.rules';
import { claimFormSchema } from './claims.schemas';
import { claimCredit, claimPageFor, claimPath } from './claims.service';
import { isActivityKey, publishedActivitiesOfCourse } from './claims.sources';

const courseCredit = 'course-credit';

/** Where each refused field's message links to in the error summary. */
function hrefFor(field: string): string {
  if (field.startsWith('amount-') || field === 'attest') return `#${field}`;
  return '#claim';
}

async function renderClaim(
  req: Request,
  res: Response,
  refused?: { form: ClaimForm; errors: Record<string, string> },
) {
  const page = await claimPageFor(req.actor!, String(req.params.key));
  const errors = refused?.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({ href: hrefFor(field), message }));
  res.render('cme/claims/claim', {
    title: `${summary.length ? 'Error: ' : ''}Claim CME credit: ${page.activity.title}`,
    ...page,
    openCredits: page.openCredits.map((credit) => ({
      ...credit,
      typed: refused?.form.amounts[credit.creditType] ?? '',
      error: errors[credit.field] ?? '',
    })),
    attested: refused?.form.attested ?? false,
    errors: summary,
    fieldErrors: errors,
    claimed: !refused && req.query.done === 'claimed',
  });
}

/**
 * The learner's claim page (`/cme/activities/:key`: disclosures, requirements, attestation, claim form), its POST,
 * and where LMS launches of placed CME claim pages land (`/targets/cme-claim/:id`, mounted before the targets'
 * placeholder pages): `course-credit` opens the course's activity, any other id the activity of that key.
 */
export function claimsRouter({ config }: { config: Config }): Router {
  const router = Router();
  const learner = requireRole('learner', 'instructor', 'admin');
  const guard = [learner, csrfProtection(config.sessionSecret)];

  router.get('/cme/activities/:key', ...guard, (req, res) => renderClaim(req, res));

  router.post('/cme/activities/:key/claim', ...guard, async (req, res) => {
    const key = String(req.params.key);
    const form = claimFormSchema.parse(req.body ?? {});
    try {
      const result = await claimCredit(req.actor!, key, form);
      if (result.outcome === 'profile-needed') {
        return res.redirect(303, `/cme/profile?next=${encodeURIComponent(claimPath(key))}`);
      }
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      return renderClaim(req, res, { form, errors: error.fields });
    }
    res.redirect(303, `${claimPath(key)}?done=claimed`);
  });

  router.get('/targets/cme-claim/:id', learner, async (req, res) => {
    const id = String(req.params.id);
    const actor = req.actor!;
    if (id !== courseCredit) {
      if (!isActivityKey(id)) throw new NotFoundError('This CME activity is not part of Rounds (any more).');
      return res.redirect(303, claimPath(id));
    }
    const activities = await publishedActivitiesOfCourse(actor.tenantId, actor.courseId);
    if (activities.length === 1) return res.redirect(303, claimPath(activities[0]!.key));
    res.render(activities.length ? 'cme/claims/choose' : 'cme/claims/none', {
      title: 'Claim CME credit',
      courseTitle: actor.courseTitle,
      activities: activities.map((activity) => ({ title: activity.title, path: claimPath(activity.key) })),
    });
  });

  return router;
}

import express, { type Request, type Response, type Router } from 'express';
import type { Config } from '../../config';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors';
import { requestSite } from '../../shared/http/csrf';
import { signIn } from '../../shared/http/session';
import { courseRoleLabels } from '../../tenancy';
import { findHandoff, redeemHandoff } from './handoff.service';

/** Where "This is not me" lands. */
const cancelledPath = '/lti/session/cancelled';

const expiredMessage =
  'This link has expired or was used already. Please open Rounds again from your course.';

/**
 * The new window's end of a cookie-less frame launch: the one-time code becomes a first-party session in two
 * steps. The first POST (from the "Continue in a new window" form) shows who the code would sign in; only the
 * confirming POST from that page starts the session ("This is not me" uses the code up and starts none). Both
 * must come from Rounds' own pages: a code posted from another site would sign the victim in as the attacker
 * (login CSRF, OWASP CSRF Cheat Sheet "Login CSRF").
 */
export function handoffRouter(config: Config): Router {
  const router = express.Router();
  const ownOrigin = new URL(config.publicUrl).origin;

  router.post('/lti/session', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    if (requestSite(req, ownOrigin) !== 'same-origin') {
      throw new ForbiddenError(
        'Continue from the Rounds page in your course: this request came from elsewhere.',
      );
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    res.set('Cache-Control', 'no-store');
    if (body.decision === 'continue') return startHandedOffSession(req, res, body.code, config);
    if (body.decision === 'cancel') {
      await redeemHandoff(body.code);
      // POST → 303 → GET: reloading the answer must not post the used code again.
      return res.redirect(303, cancelledPath);
    }
    const handoff = await findHandoff(body.code);
    if (!handoff) throw new UnauthorizedError(expiredMessage);
    const name = handoff.fullName || handoff.actor.name || 'the person who opened Rounds';
    // Browsers without Fetch Metadata send Origin on the confirming POST only if the page's policy allows it.
    res.set('Referrer-Policy', 'same-origin');
    res.render('lti/handoff-confirm', {
      title: `Continue as ${name}?`,
      name,
      roleLabel: courseRoleLabels[handoff.actor.role],
      email: handoff.email,
      lmsName: handoff.lmsName,
      courseTitle: handoff.actor.courseTitle,
      code: body.code,
    });
  });

  router.get(cancelledPath, (_req, res) => {
    res.render('lti/handoff-cancelled', { title: 'Rounds did not sign you in' });
  });
  return router;
}

async function startHandedOffSession(req: Request, res: Response, code: unknown, config: Config) {
  const handoff = await redeemHandoff(code);
  if (!handoff) throw new UnauthorizedError(expiredMessage);
  await signIn(req, res, handoff.actor, config);
  res.redirect(303, handoff.landing);
}

import { Router, type Request, type Response } from 'express';
import { anonymousCsrf } from '../../accounts';
import type { Config } from '../../config';
import { ForbiddenError, ValidationError } from '../../shared/errors';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { clientAddress, rateLimit } from '../../shared/http/rateLimit';
import { signInAccount } from '../../shared/http/session';
import { acceptAsAccount, acceptWithNewAccount, openInvitation } from './acceptance.service';
import { UnusableInvitationError } from './invitation.policy';
import { invitationTokenSchema, newAccountFormSchema } from './invitation.schemas';

/** Where an accepted invitation lands: the mentor's cohorts (only the granted ones). */
const afterAccepting = '/cohorts';

/** The token in the path, or a 404 page for anything that cannot be one (no lookup for junk). */
function tokenOf(req: Request): string {
  const parsed = invitationTokenSchema.safeParse(req.params.token);
  if (!parsed.success) {
    throw new UnusableInvitationError(
      'This invitation link is not valid. Check that you copied all of it, or ask for a new one.',
      404,
    );
  }
  return parsed.data;
}

/** Who this browser is signed in as, for the invitation's way in. */
function sessionOf(req: Request) {
  return { ...(req.account ? { account: req.account } : {}), signedIn: Boolean(req.account || req.actor) };
}

const signInFirst =
  'A Rounds account has this invitation’s address: sign in as it, then open the invitation link again.';

async function renderInvitation(
  req: Request,
  res: Response,
  refused?: { name: string; errors: Record<string, string> },
) {
  const view = await openInvitation(tokenOf(req), sessionOf(req));
  const errors = refused?.errors ?? {};
  // The link is a credential: no cache keeps the page, and (helmet) no Referer carries its address away.
  res.set('Cache-Control', 'no-store');
  res.render('cohorts/invitations/accept', {
    title: Object.keys(errors).length ? 'Error: Mentoring invitation' : 'Mentoring invitation',
    ...view,
    typedName: refused?.name ?? view.name,
    errors: Object.entries(errors).map(([field, message]) => ({ href: `#${field}`, message })),
    fieldError: errors,
  });
}

/**
 * `/invitations/:token`: the page an invited external mentor opens (no session needed). Without a Rounds
 * account for the invited address they create one here (the accounts' password rules) and are signed in; with
 * one they sign in as it first and accept with one button. Forms carry the sign-in pages' pre-session CSRF
 * token (accounts' anonymousCsrf); posts are rate-limited per address (each may hash a password).
 */
export function invitationAcceptanceRouter({ config }: { config: Config }): Router {
  const router = Router();
  const formCsrf = anonymousCsrf(config);
  const attempts = rateLimit({ limit: config.signinAddressLimitPer15Minutes, windowMs: 15 * 60_000 });

  router.get('/invitations/:token', formCsrf, (req, res) => renderInvitation(req, res));

  router.post('/invitations/:token', attempts, formCsrf, async (req, res) => {
    const token = tokenOf(req);
    const { route } = await openInvitation(token, sessionOf(req));
    if (route === 'sign-in') throw new ForbiddenError(signInFirst);
    if (route === 'accept') {
      await acceptAsAccount(token, req.account!);
      return res.redirect(303, afterAccepting);
    }
    const parsed = newAccountFormSchema.safeParse(req.body ?? {});
    const typedName = typeof req.body?.name === 'string' ? req.body.name.slice(0, 120) : '';
    let accountId: string;
    try {
      if (!parsed.success) throw new ValidationError('', fieldErrors(parsed.error));
      ({ accountId } = await acceptWithNewAccount(token, parsed.data, { address: clientAddress(req) }));
    } catch (error) {
      if (!(error instanceof ValidationError) || Object.keys(error.fields).length === 0) throw error;
      res.status(400);
      return renderInvitation(req, res, { name: typedName, errors: error.fields });
    }
    // The password was just chosen with the link in hand: the same proof a sign-in asks for.
    await signInAccount(req, res, accountId, { mfaVerified: false }, config);
    res.redirect(303, afterAccepting);
  });

  return router;
}

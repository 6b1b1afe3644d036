import { Router, type Request, type RequestHandler, type Response } from 'express';
import { DateTime } from 'luxon';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Config } from '../config';
import { ForbiddenError, ValidationError } from '../shared/errors';
import { csrfProtection, requestSite } from '../shared/http/csrf';
import { fieldErrors } from '../shared/http/fieldErrors';
import { clientAddress } from '../shared/http/rateLimit';
import { clearSessionCookie, signInAccount } from '../shared/http/session';
import { configureAccountKeys } from './accounts.keys';
import { endAllSessions, recordAccountEvent } from './accounts.service';
import { requireAccount } from './requireAccount';
import { countAsFailure, failedAttemptLimit } from './signin.addressLimit';
import { anonymousCsrf, clearPendingSignIn, pendingSignIn, setPendingSignIn } from './signin.csrf';
import {
  linkTokenSchema,
  setPasswordSchema,
  signInCodeSchema,
  signInNotices,
  signInSchema,
} from './signin.schemas';
import {
  accountForLink,
  landingAfterSignIn,
  setPasswordWithLink,
  signInWithPassword,
  signInWithSecondFactor,
  unusableLinkMessage,
  type LockoutRule,
  type SignInOutcome,
} from './signin.service';

const refusedMessage = 'The e-mail address or password is not right.';

/** The lock's end as people read it (UTC: the sign-in page knows no tenant), and as a machine reads it. */
function lockNotice(until: Date) {
  const end = DateTime.fromJSDate(until, { zone: 'utc' });
  return { iso: end.toISO(), text: end.toFormat("HH:mm 'UTC' 'on' d LLLL yyyy") };
}

function renderSignIn(
  res: Response,
  status: number,
  view: { email?: string; message?: string; field?: string; until?: Date },
) {
  const errors = view.message ? [{ href: `#${view.field ?? 'email'}`, message: view.message }] : [];
  res.status(status).render('accounts/signin', {
    title: errors.length || view.until ? 'Error: Sign in' : 'Sign in',
    email: view.email ?? '',
    errors,
    fieldError: view.field && view.message ? { [view.field]: view.message } : {},
    locked: view.until ? lockNotice(view.until) : undefined,
  });
}

function renderCode(res: Response, status: number, view: { message?: string; until?: Date }) {
  res.status(status).render('accounts/signin-code', {
    title: view.message || view.until ? 'Error: Enter your code' : 'Enter your code',
    errors: view.message ? [{ href: '#code', message: view.message }] : [],
    codeError: view.message,
    locked: view.until ? lockNotice(view.until) : undefined,
  });
}

/**
 * /signin (e-mail and password, through passport's local strategy), /signin/code (the second factor),
 * /set-password/:token (one-time links) and /signout/everywhere. The first three are reached without a
 * session: their forms carry a pre-session CSRF token (signin.csrf.ts). Failed attempts are limited per client
 * address, for each form on its own (signin.addressLimit.ts), as well as locked per e-mail (signin.throttle.ts).
 */
export function signinRouter({ config }: { config: Config }): Router {
  const router = Router();
  const rule: LockoutRule = {
    failuresBeforeLock: config.signinFailuresBeforeLock,
    lockMinutes: config.signinLockMinutes,
  };
  // E-mail digests and audit retention follow this configuration (the CLI configures its own process).
  configureAccountKeys(config);
  const formCsrf = anonymousCsrf(config);
  const addressLimit = () =>
    failedAttemptLimit({ limit: config.signinAddressLimitPer15Minutes, windowMs: 15 * 60_000 });
  const passport = new Passport();
  passport.use(
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false },
      (req, email, password, done) => {
        signInWithPassword({ email, password, address: clientAddress(req) }, rule).then(
          (outcome) => done(null, outcome),
          (error: unknown) => done(error),
        );
      },
    ),
  );
  /** Runs the local strategy; its "user" is the service's outcome, or false when a field was empty. */
  const authenticate = (req: Request, res: Response) =>
    new Promise<SignInOutcome | false>((resolve, reject) => {
      passport.authenticate('local', { session: false }, (error: unknown, outcome: SignInOutcome | false) =>
        error ? reject(error as Error) : resolve(outcome),
      )(req, res, reject);
    });

  router.get('/signin', formCsrf, (req, res) => {
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    res.render('accounts/signin', {
      title: 'Sign in',
      email: '',
      // Own keys only: `?done=constructor` must not show Object's constructor.
      notice: Object.hasOwn(signInNotices, done)
        ? signInNotices[done as keyof typeof signInNotices]
        : undefined,
    });
  });

  router.post('/signin', addressLimit(), formCsrf, async (req, res) => {
    const typed = typeof req.body?.email === 'string' ? req.body.email.trim().slice(0, 320) : '';
    const parsed = signInSchema.safeParse(req.body);
    if (!parsed.success) {
      const [field, message] = Object.entries(fieldErrors(parsed.error))[0]!;
      return renderSignIn(res, 400, { email: typed, field, message });
    }
    const outcome = await authenticate(req, res);
    if (!outcome)
      return renderSignIn(res, 400, { email: typed, field: 'email', message: 'Enter your e-mail address.' });
    if (outcome.kind !== 'signed-in') countAsFailure(res);
    if (outcome.kind === 'refused')
      return renderSignIn(res, 401, { email: typed, field: 'password', message: refusedMessage });
    if (outcome.kind === 'locked') return renderSignIn(res, 429, { email: typed, until: outcome.until });
    if (outcome.needsSecondFactor) {
      setPendingSignIn(req, res, config, outcome.accountId);
      return res.redirect(303, '/signin/code');
    }
    await signInAccount(req, res, outcome.accountId, { mfaVerified: false }, config);
    res.redirect(303, await landingAfterSignIn(outcome.accountId));
  });

  /** Whose code is awaited: a pending sign-in's, or a signed-in account's with TOTP on but not checked yet. */
  const awaitingCode = (req: Request) =>
    pendingSignIn(req, config) ??
    (req.account?.totpEnabled && !req.account.mfaVerified ? req.account.accountId : undefined);

  router.get('/signin/code', formCsrf, (req, res) => {
    if (!awaitingCode(req)) return res.redirect(303, '/signin');
    renderCode(res, 200, {});
  });

  router.post('/signin/code', addressLimit(), formCsrf, async (req, res) => {
    const accountId = awaitingCode(req);
    if (!accountId) return res.redirect(303, '/signin');
    const parsed = signInCodeSchema.safeParse(req.body);
    if (!parsed.success) return renderCode(res, 400, { message: fieldErrors(parsed.error).code });
    const outcome = await signInWithSecondFactor(
      { accountId, code: parsed.data.code, address: clientAddress(req) },
      { rule, encryptionKey: config.ltiEncryptionKey, ...(req.log ? { log: req.log } : {}) },
    );
    if (outcome.kind !== 'signed-in') countAsFailure(res);
    if (outcome.kind === 'refused')
      return renderCode(res, 401, { message: 'That code is not right. Try the code your app shows now.' });
    if (outcome.kind === 'locked') return renderCode(res, 429, { until: outcome.until });
    clearPendingSignIn(res, config);
    await signInAccount(req, res, outcome.accountId, { mfaVerified: true }, config);
    res.redirect(303, await landingAfterSignIn(outcome.accountId));
  });

  /** The link's token and the account it opens; an unusable link (counted as a failed attempt) throws. */
  const liveLink = async (req: Request, res: Response) => {
    const token = linkTokenSchema.safeParse(req.params.token);
    const link = token.success ? await accountForLink(token.data) : undefined;
    if (!token.success || !link) {
      countAsFailure(res);
      throw new ValidationError(unusableLinkMessage);
    }
    return { token: token.data, link };
  };

  router.get('/set-password/:token', formCsrf, async (req, res) => {
    const { link } = await liveLink(req, res);
    res.render('accounts/set-password', { title: 'Choose your password', email: link.email, errors: [] });
  });

  router.post('/set-password/:token', addressLimit(), formCsrf, async (req, res) => {
    // A guessed or spent link is the failure counted here; a password the policy refuses is not.
    const { token, link } = await liveLink(req, res);
    const parsed = setPasswordSchema.safeParse(req.body);
    try {
      if (!parsed.success)
        throw new ValidationError('Use at most 256 characters.', fieldErrors(parsed.error));
      await setPasswordWithLink({ token, ...parsed.data, address: clientAddress(req) });
    } catch (error) {
      if (!(error instanceof ValidationError) || Object.keys(error.fields).length === 0) {
        if (error instanceof ValidationError) countAsFailure(res);
        throw error;
      }
      const [field, message] = Object.entries(error.fields)[0]!;
      return res.status(400).render('accounts/set-password', {
        title: 'Error: Choose your password',
        email: link.email,
        errors: [{ href: `#${field}`, message }],
        fieldError: { [field]: message },
      });
    }
    res.redirect(303, '/signin?done=password-set');
  });

  const ownOrigin = new URL(config.publicUrl).origin;
  const fromRoundsItself: RequestHandler = (req, _res, next) =>
    next(
      requestSite(req, ownOrigin) === 'cross-origin'
        ? new ForbiddenError('Sign out from Rounds itself.')
        : undefined,
    );
  router.post(
    '/signout/everywhere',
    fromRoundsItself,
    requireAccount(),
    csrfProtection(config.sessionSecret),
    async (req, res) => {
      const account = req.account!;
      await endAllSessions(account.accountId);
      await recordAccountEvent('signout-everywhere', {
        accountId: account.accountId,
        email: account.email,
        address: clientAddress(req),
      });
      clearSessionCookie(res, config);
      res.redirect(303, '/signin?done=signed-out-everywhere');
    },
  );

  return router;
}

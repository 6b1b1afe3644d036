import { Router, type Request, type Response } from 'express';
import type { Config } from '../config';
import type { AccountActor } from '../shared/auth/actor';
import { ValidationError } from '../shared/errors';
import { csrfProtection } from '../shared/http/csrf';
import { fieldErrors } from '../shared/http/fieldErrors';
import { clientAddress, rateLimit } from '../shared/http/rateLimit';
import { cookieName, crossSiteCookieOptions, signInAccount } from '../shared/http/session';
import { passwordChangeSchema, totpCodeSchema } from './account.schemas';
import { accountPageFor, changePassword } from './account.service';
import { requireAccount } from './requireAccount';
import {
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  startTotpEnrolment,
  type SecondFactorContext,
} from './totp.service';

/** What a redirect's `?done=` tells the account on the page it lands on. */
const notices: Record<string, string> = {
  'password-changed':
    'Your password was changed. Every other browser signed in to this account is signed out.',
};

/** Field errors of one form on the account page, and which form they belong to. */
interface AccountPageErrors {
  form: 'password' | 'recovery-codes';
  fields: Record<string, string>;
}

/** The link each field's error summary entry jumps to. */
const fieldIds: Record<string, string> = {
  currentPassword: 'current-password',
  newPassword: 'new-password',
  confirmPassword: 'confirm-password',
};

async function renderAccountPage(req: Request, res: Response, errors?: AccountPageErrors) {
  const page = await accountPageFor(req.account!);
  const done = req.query.done;
  // Own keys only: `?done=constructor` must not show Object's constructor.
  const notice = typeof done === 'string' && Object.hasOwn(notices, done) ? notices[done] : undefined;
  const summary = Object.entries(errors?.fields ?? {}).map(([field, message]) => ({
    href: `#${errors?.form === 'recovery-codes' ? 'regenerate-code' : (fieldIds[field] ?? field)}`,
    message,
  }));
  res.render('accounts/account', {
    title: summary.length ? 'Error: Your account' : 'Your account',
    notice: summary.length ? undefined : notice,
    errors: summary,
    ...page,
    passwordErrors: errors?.form === 'password' ? errors.fields : {},
    regenerateError: errors?.form === 'recovery-codes' ? Object.values(errors.fields)[0] : undefined,
    regenerateCode: errors?.form === 'recovery-codes' ? typedCode(req) : '',
  });
}

/** The code as typed, to show it back beside its error (a one-time code: useless once refused). */
function typedCode(req: Request): string {
  const value = (req.body as Record<string, unknown> | undefined)?.code;
  return typeof value === 'string' ? value.slice(0, 20) : '';
}

/** Recovery codes are shown once, in the answer to the POST that made them; no copy is kept, not even by caches. */
function renderRecoveryCodes(res: Response, codes: string[], firstTime: boolean) {
  res.set('Cache-Control', 'no-store');
  res.render('accounts/recovery-codes', { title: 'Your recovery codes', codes, firstTime });
}

/**
 * `/account` (who you are, your roles, change password, sign out everywhere, recovery codes) and
 * `/account/totp` (turning on two-step sign-in with an authenticator app). Every change is a POST with the
 * session's CSRF token; the password change answers 303 → GET; the two POSTs that make recovery codes show
 * them in their answer, once.
 */
export function accountRouter({ config }: { config: Config }): Router {
  const router = Router();
  const csrf = csrfProtection(config.sessionSecret);
  const enrolCookie = cookieName(config, 'totp_enrol');
  const enrolCookieMs = 30 * 60_000;
  const factorContext = (req: Request): SecondFactorContext => ({
    encryptionKey: config.ltiEncryptionKey,
    address: clientAddress(req),
    log: req.log,
  });

  // Any account, whatever its second-factor state (requireAccount with no role sends none to enrol or to the
  // challenge): /account/totp is where an operator without TOTP is sent, and /account leads there.
  const signedIn = requireAccount();
  // Whoever holds a stolen session must not guess codes (1 in 333,333 a try) or the current password at speed.
  const attempts = rateLimit({
    limit: 10,
    windowMs: 15 * 60_000,
    key: (req) => `account-form ${req.account?.accountId ?? clientAddress(req)}`,
  });

  router.get('/account', signedIn, csrf, (req, res) => renderAccountPage(req, res));

  router.post('/account/password', signedIn, csrf, attempts, async (req, res) => {
    const parsed = passwordChangeSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      return renderAccountPage(req, res, { form: 'password', fields: fieldErrors(parsed.error) });
    }
    const account = req.account!;
    try {
      await changePassword(account, parsed.data, {
        sessionToken: req.sessionToken!,
        address: clientAddress(req),
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      return renderAccountPage(req, res, { form: 'password', fields: error.fields });
    }
    // A new session id for this browser too (OWASP: renew the session id after a credential change).
    await signInAccount(req, res, account.accountId, { mfaVerified: account.mfaVerified }, config);
    res.redirect(303, '/account?done=password-changed');
  });

  router.post('/account/recovery-codes', signedIn, csrf, attempts, async (req, res) => {
    const parsed = totpCodeSchema.safeParse(req.body ?? {});
    try {
      if (!parsed.success) throw new ValidationError('', fieldErrors(parsed.error));
      const codes = await regenerateRecoveryCodes(req.account!, parsed.data.code, factorContext(req));
      renderRecoveryCodes(res, codes, false);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      return renderAccountPage(req, res, { form: 'recovery-codes', fields: error.fields });
    }
  });

  const renderEnrolPage = async (req: Request, res: Response, error?: string) => {
    const account: AccountActor = req.account!;
    if (account.totpEnabled) return res.redirect(303, '/account');
    const cookies = req.cookies as Record<string, unknown> | undefined;
    const pending = typeof cookies?.[enrolCookie] === 'string' ? (cookies[enrolCookie] as string) : undefined;
    const enrolment = await startTotpEnrolment(account, pending, config.ltiEncryptionKey);
    res.cookie(enrolCookie, enrolment.pending, crossSiteCookieOptions(config, enrolCookieMs));
    res.set('Cache-Control', 'no-store');
    res.render('accounts/totp-enrol', {
      title: error ? 'Error: Turn on two-step sign-in' : 'Turn on two-step sign-in',
      errors: error ? [{ href: '#totp-code', message: error }] : [],
      codeError: error,
      code: error ? typedCode(req) : '',
      email: account.email,
      qrSvg: enrolment.qrSvg,
      groupedSecret: enrolment.groupedSecret,
    });
  };

  router.get('/account/totp', signedIn, csrf, (req, res) => renderEnrolPage(req, res));

  router.post('/account/totp', signedIn, csrf, attempts, async (req, res) => {
    const account = req.account!;
    if (account.totpEnabled) return res.redirect(303, '/account');
    const parsed = totpCodeSchema.safeParse(req.body ?? {});
    let codes: string[];
    try {
      if (!parsed.success) throw new ValidationError('', fieldErrors(parsed.error));
      const cookies = req.cookies as Record<string, unknown> | undefined;
      const pending =
        typeof cookies?.[enrolCookie] === 'string' ? (cookies[enrolCookie] as string) : undefined;
      codes = await confirmTotpEnrolment(account, pending, parsed.data.code, factorContext(req));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      return renderEnrolPage(req, res, error.fields.code ?? error.message);
    }
    const { maxAge: _maxAge, ...cookieOptions } = crossSiteCookieOptions(config, enrolCookieMs);
    res.clearCookie(enrolCookie, cookieOptions);
    // The code just proved the second factor: this browser's session is renewed as verified.
    await signInAccount(req, res, account.accountId, { mfaVerified: true }, config);
    renderRecoveryCodes(res, codes, true);
  });

  return router;
}

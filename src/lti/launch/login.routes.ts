import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Config } from '../../config';
import { clientAddress, rateLimit } from '../../shared/http/rateLimit';
import { crossSiteCookieOptions } from '../../shared/http/session';
import {
  bindLoginToStorage,
  findPendingLogin,
  loginLifetimeMs,
  readInitiation,
  startLogin,
} from './login.service';
import type { LoginState } from './loginState.model';
import { LtiRefusal, refusalPolicy, refuse } from './refusal.service';

/** The signed cookie `state<state>` holding the issuer: the launch check binds the id_token to this browser by it. */
export function stateCookieName(state: string): string {
  return `state${state}`;
}

/** Key under which the login's secret sits in the platform's storage (1EdTech Platform Storage, lti.put_data). */
export function storageKey(state: string): string {
  return `rounds_state_${state}`;
}

/**
 * The same login, started again in a new window, where Rounds is first-party and its cookies work: the
 * initiation's parameters, rebuilt from what the login stored. No lti_storage_target: the new window has no LMS
 * frame around it to keep platform storage in.
 */
export function newWindowForm(loginState: LoginState) {
  const auth = new URL(loginState.authRequestUrl).searchParams;
  const initiation: Record<string, string | null> = {
    iss: loginState.issuer,
    client_id: loginState.clientId,
    login_hint: auth.get('login_hint'),
    target_link_uri: loginState.targetLinkUri,
    lti_message_hint: auth.get('lti_message_hint'),
    lti_deployment_id: auth.get('lti_deployment_id'),
  };
  return {
    action: '/lti/login',
    fields: Object.entries(initiation)
      .filter((field): field is [string, string] => field[1] !== null)
      .map(([name, value]) => ({ name, value })),
  };
}

function noStore(res: Response) {
  res.set('Cache-Control', 'no-store');
}

/**
 * OIDC login initiation (LTI 1.3 §5.1.1): unknown platforms, foreign target_link_uri and unknown deployments are
 * refused before anything is stored, and the nonce is bound to the state. Each client address may start only
 * `loginRateLimitPerMinute` logins a minute per issuer, and cause as many refusals (429 past either). Unless the
 * browser says it is a top-level window, the login then takes one hop through /lti/login/continue, which sees
 * whether the browser kept the state cookie: if it did, on to the LMS; if not (third-party cookies blocked in the
 * LMS iframe), platform storage when the LMS offers it, else a page that continues in a new window.
 */
export function loginRouter(config: Config): Router {
  const router = express.Router();
  // The state cookie is signed with the LTI key by the app's cookie parser (app.ts); the launch check reads it.
  router.use('/lti/login', express.urlencoded({ extended: false, limit: '20kb' }));

  // Every LTI route after this one (login, launch, deep linking) may refuse; refuse() limits and counts it.
  router.use('/lti', refusalPolicy(config));
  // Each login stores a login state for 10 minutes: one client may start only so many per LMS.
  const loginLimit = rateLimit({
    limit: config.loginRateLimitPerMinute,
    windowMs: 60_000,
    key: (req) => `${clientAddress(req)} ${String(req.body?.iss ?? req.query.iss ?? '').slice(0, 200)}`,
  });

  router.all('/lti/login', loginLimit, async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.status(405).set('Allow', 'GET, POST').end();
      return;
    }
    const initiation = readInitiation({ ...(req.query as object), ...((req.body ?? {}) as object) });
    let loginState: LoginState;
    try {
      loginState = await startLogin(initiation, config);
    } catch (error) {
      if (error instanceof LtiRefusal) return refuse(req, next, error);
      throw error;
    }
    noStore(res);
    res.cookie(stateCookieName(loginState.state), loginState.issuer, {
      ...crossSiteCookieOptions(config, loginLifetimeMs),
      signed: true,
    });
    // A top-level window (Fetch Metadata says so) keeps first-party cookies: no need to check it did.
    if (req.get('sec-fetch-dest') === 'document') {
      res.redirect(302, loginState.authRequestUrl);
      return;
    }
    res.redirect(302, `/lti/login/continue?state=${loginState.state}`);
  });

  router.get('/lti/login/continue', async (req: Request, res: Response) => {
    const loginState = await findPendingLogin(req.query.state);
    noStore(res);
    if (!loginState) {
      res.status(400).render('lti/login-expired', { title: 'Please open Rounds again' });
      return;
    }
    if (req.signedCookies?.[stateCookieName(loginState.state)] === loginState.issuer) {
      res.redirect(302, loginState.authRequestUrl);
      return;
    }
    req.log?.info(
      { issuer: loginState.issuer, storage: Boolean(loginState.storageTarget) },
      'LTI login without cookies',
    );
    const newWindow = newWindowForm(loginState);
    if (loginState.storageTarget) {
      res.render('lti/storage-login', {
        title: 'Opening Rounds',
        storage: {
          target: loginState.storageTarget,
          origin: new URL(loginState.authRequestUrl).origin,
          key: storageKey(loginState.state),
          value: await bindLoginToStorage(loginState.state),
          next: loginState.authRequestUrl,
        },
        newWindow,
      });
      return;
    }
    res.render('lti/cookies-blocked', { title: 'Open Rounds in a new window', newWindow });
  });

  return router;
}
